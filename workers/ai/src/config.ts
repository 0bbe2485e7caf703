/**
 * Which AI provider a worker runs with, from the environment (validated at startup):
 *
 *   BATON_AI_PROVIDER      embedded (default) | openai
 *   BATON_OPENAI_BASE_URL  an OpenAI-compatible endpoint: https://api.openai.com/v1 (default),
 *                          https://<resource>.openai.azure.com/openai/v1, http://127.0.0.1:11434/v1
 *                          (Ollama), http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:8080/v1 (llama.cpp)
 *   BATON_OPENAI_API_KEY   required for api.openai.com; local servers take any or none
 *   BATON_OPENAI_MODEL     required with openai (gpt-4o-mini, llama3.1, …)
 *   BATON_AI_TIMEOUT_MS    timeout of one model call, 8000 by default (below the classify node's
 *                          default 10 s activity timeout, so the activity fails cleanly and retries)
 *   BATON_AI_MAX_TOKENS    the bound (max_tokens) of every model reply; by default each kind of call
 *                          has its own (openai.ts defaultMaxTokens). Raise it for models that think
 *                          before they answer: a reply cut at the bound is a failure.
 */
import { z } from 'zod';
import { EmbeddedAiProvider } from './embedded';
import { OpenAiProvider } from './openai';
import type { AiProvider } from './provider';

const blankAsMissing = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const AiEnvironment = z
  .object({
    BATON_AI_PROVIDER: z.preprocess(blankAsMissing, z.enum(['embedded', 'openai']).default('embedded')),
    BATON_OPENAI_BASE_URL: z.preprocess(
      blankAsMissing,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:11434/v1' }).optional(),
    ),
    BATON_OPENAI_API_KEY: z.preprocess(blankAsMissing, z.string().optional()),
    BATON_OPENAI_MODEL: z.preprocess(blankAsMissing, z.string().max(200).optional()),
    BATON_AI_TIMEOUT_MS: z.preprocess(
      blankAsMissing,
      z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).max(600_000).default(8_000),
    ),
    BATON_AI_MAX_TOKENS: z.preprocess(
      blankAsMissing,
      z.coerce.number({ error: 'must be a number of tokens' }).int().min(16).max(100_000).optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.BATON_AI_PROVIDER !== 'openai') return;
    if (env.BATON_OPENAI_MODEL === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['BATON_OPENAI_MODEL'],
        message: 'is required with BATON_AI_PROVIDER=openai (e.g. gpt-4o-mini, llama3.1)',
      });
    if (env.BATON_OPENAI_BASE_URL === undefined && env.BATON_OPENAI_API_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['BATON_OPENAI_API_KEY'],
        message: 'is required for api.openai.com (or set BATON_OPENAI_BASE_URL to a local server)',
      });
    }
  });
export type AiEnvironment = z.infer<typeof AiEnvironment>;

export class AiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AiConfigError';
  }
}

/** The validated configuration; throws an AiConfigError naming every bad variable. */
export function readAiEnvironment(env: NodeJS.ProcessEnv = process.env): AiEnvironment {
  const parsed = AiEnvironment.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`);
  throw new AiConfigError(`invalid AI provider configuration:\n${lines.join('\n')}`);
}

/** The provider the environment asks for: the embedded one unless BATON_AI_PROVIDER=openai. */
export function aiProviderFromEnv(env: NodeJS.ProcessEnv = process.env): AiProvider {
  const config = readAiEnvironment(env);
  if (config.BATON_AI_PROVIDER === 'embedded') return new EmbeddedAiProvider();
  return new OpenAiProvider({
    model: config.BATON_OPENAI_MODEL as string,
    timeoutMs: config.BATON_AI_TIMEOUT_MS,
    ...(config.BATON_AI_MAX_TOKENS !== undefined && {
      maxTokens: {
        classify: config.BATON_AI_MAX_TOKENS,
        answer: config.BATON_AI_MAX_TOKENS,
        summary: config.BATON_AI_MAX_TOKENS,
      },
    }),
    ...(config.BATON_OPENAI_BASE_URL !== undefined && { baseURL: config.BATON_OPENAI_BASE_URL }),
    ...(config.BATON_OPENAI_API_KEY !== undefined && { apiKey: config.BATON_OPENAI_API_KEY }),
  });
}
