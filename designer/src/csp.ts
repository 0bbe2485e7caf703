/**
 * Imported first by the app: the API serves it under a Content-Security-Policy without
 * 'unsafe-eval', and zod's JIT probes `new Function` on first use, which the browser reports as a
 * CSP violation even though zod catches it. Jitless zod validates the same, without the probe.
 */
import { z } from 'zod';

z.config({ jitless: true });
