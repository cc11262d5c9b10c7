// Filled in by esbuild from package.json; tests run from source and read the same file.
declare const __KRR_MCP_VERSION__: string | undefined;

export const VERSION: string = typeof __KRR_MCP_VERSION__ === 'string' ? __KRR_MCP_VERSION__ : '0.0.0-dev';
