// ESM resolve hook: the `vscode` module only exists inside VS Code; tests get the double instead. The
// double's path goes on down the chain, so that tsx (registered before this hook) resolves and loads it as
// TypeScript outside the test runner too (`npm run bench:tree`).
export async function resolve(specifier, context, next) {
  if (specifier === 'vscode') return next(new URL('./vscode.ts', import.meta.url).href, context);
  return next(specifier, context);
}
