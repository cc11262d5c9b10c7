/** VS Code slows down past a few hundred siblings (microsoft/vscode#230361), so children come in pages. */
export const PAGE_SIZE = 200;

/** How many children each parent shows; grows by a page each time "Show N more…" is clicked. */
export class PageLimits {
  private readonly limits = new Map<string, number>();

  limitFor(parentId: string): number {
    return this.limits.get(parentId) ?? PAGE_SIZE;
  }

  grow(parentId: string): void {
    this.limits.set(parentId, this.limitFor(parentId) + PAGE_SIZE);
  }
}
