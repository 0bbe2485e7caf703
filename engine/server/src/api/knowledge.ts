/**
 * The knowledge base as the routes use it: its articles, their search index (rebuilt when they
 * change, here or in another process) and the AI provider that answers an agent's question from them.
 */
import { createKbIndex, type KbIndex } from '@baton/ai/kb';
import { aiProviderFromEnv, createEmbeddedProvider, type AiProvider } from '@baton/ai';
import { KbStore, kbCollection, type Store } from '@baton/store';

/** The part of an AI provider the assist uses. */
export type AssistProvider = Pick<AiProvider, 'name' | 'answer'>;

export class KnowledgeBase {
  readonly articles: KbStore;
  private indexes: Promise<void> | undefined;
  private cached: { stamp: string; index: KbIndex } | undefined;
  private embedded: AssistProvider | undefined;
  private configured: AssistProvider | undefined;

  constructor(
    store: Store,
    private readonly log: (message: string, error?: unknown) => void,
    /** Answers the agent's questions; the provider the workers use (BATON_AI_PROVIDER…) by default. */
    private readonly provider?: AssistProvider,
  ) {
    this.articles = new KbStore(store.collection(kbCollection).db);
  }

  /** Creates the articles' indexes once (again after a failure, which is logged). */
  ready(): Promise<void> {
    this.indexes ??= this.articles.ensureIndexes().then(
      () => undefined,
      (error: unknown) => {
        this.indexes = undefined;
        this.log('could not create the inbox indexes', error);
      },
    );
    return this.indexes;
  }

  /** The search index, rebuilt when the articles' stamp says they changed. */
  async index(): Promise<KbIndex> {
    const stamp = await this.articles.stamp();
    if (this.cached?.stamp === stamp) return this.cached.index;
    const articles = await this.articles.list();
    this.cached = { stamp, index: createKbIndex(articles) };
    return this.cached.index;
  }

  embeddedProvider(): AssistProvider {
    this.embedded ??= createEmbeddedProvider();
    return this.embedded;
  }

  /** The configured provider, so the assist answers with the configured model; the embedded one when it cannot be built. */
  assistProvider(): AssistProvider {
    if (this.provider) return this.provider;
    if (!this.configured) {
      try {
        this.configured = aiProviderFromEnv();
      } catch (error) {
        this.log('the configured AI provider cannot be built; the assist uses the embedded provider', error);
        this.configured = this.embeddedProvider();
      }
    }
    return this.configured;
  }
}
