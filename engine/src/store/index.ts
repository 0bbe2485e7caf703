export { connectStore, MongoStore, collections, type Store, type ConnectOptions, type RegisteredActivity } from './store';
export { StoreError, StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';
export { conversationRecordOf, lastActivityAt } from './view';
export { encodeValue, decodeValue } from './codec';
export type * from './types';
