// Makes `import 'vscode'` resolve to the test double when unit tests run outside VS Code.
import { register } from 'node:module';

register('./resolve-vscode.mjs', import.meta.url);
