// Imported first by each page's main.ts, before any schema exists: zod decides per schema, when it is built,
// whether to compile a fast parser with the Function constructor. The panels' CSP forbids eval, and even a
// caught attempt is reported as a CSP violation, so zod is told never to try. (The setting lives in zod's
// core, which zod/mini, used by the schemas, shares.)
import * as z from 'zod/mini';

z.config({ jitless: true });
