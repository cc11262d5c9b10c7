// ESM resolve hook: the `vscode` module only exists inside VS Code; tests get the double instead.
export async function resolve(specifier, context, next) {
  if (specifier === 'vscode')
    return { url: new URL('./vscode.ts', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
