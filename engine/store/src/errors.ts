/** Base of the store's own errors; `status` is the HTTP status the API answers with. */
export class StoreError extends Error {
  readonly status: number = 500;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The write conflicts with what is stored (an id that exists, a ticket claimed by someone else …). HTTP 409. */
export class StoreConflictError extends StoreError {
  override readonly status = 409;
}

/** The record the call is about does not exist. HTTP 404. */
export class StoreNotFoundError extends StoreError {
  override readonly status = 404;
}

/** MongoDB (and FerretDB) report a unique index violation as code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (code === 11000 || code === 11001) return true;
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors.some((entry: unknown) => isDuplicateKeyError(entry));
  return false;
}

/** The index of the operation an ordered bulk write stopped at on a duplicate key, if that is why it failed. */
export function duplicateKeyIndex(error: unknown): number | undefined {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const first: unknown = Array.isArray(writeErrors) ? writeErrors[0] : undefined;
  if (!isDuplicateKeyError(first)) return undefined;
  const index = (first as { index?: unknown }).index;
  return typeof index === 'number' && index >= 0 ? index : undefined;
}
