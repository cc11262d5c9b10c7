// The page builds every node here. Data only ever becomes text nodes (`append` of a string creates one);
// class names are fixed strings chosen by the page, never copied from data.

type Child = Node | string | null | undefined | false;

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child) node.append(child);
  return node;
}

export function button(label: string, className: string): HTMLButtonElement {
  const node = element('button', className, label);
  node.type = 'button';
  return node;
}
