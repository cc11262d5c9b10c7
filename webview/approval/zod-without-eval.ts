// Imported first by main.ts, before any schema exists: zod decides per schema, when it is built, whether to
// compile a fast parser with the Function constructor. The panel's CSP forbids eval, and even a caught attempt is
// reported as a CSP violation, so zod is told never to try.
import { z } from 'zod';

z.config({ jitless: true });
