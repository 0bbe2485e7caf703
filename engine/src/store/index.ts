export {
  connectStore,
  MongoStore,
  collections,
  liveAlias,
  aliasBucket,
  aliasRoutesProblem,
  routeForConversation,
  AliasVersionNotFoundError,
  AliasRoutesError,
  AliasRollbackError,
  type Store,
  type ConnectOptions,
  type RegisteredActivity,
} from './store';
export { StoreError, StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';
export { conversationRecordOf, lastActivityAt } from './view';
export { encodeValue, decodeValue } from './codec';
export type * from './types';
