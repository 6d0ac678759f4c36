/**
 * The thrown errors the API has a code for (docs/api.md#errors), as the `ApiError` to answer:
 * `app.onError` writes them, and the refresher Durable Object sends their code back as a value,
 * since an exception crossing Durable Object RPC arrives as a plain `Error`, its class lost.
 */
import { EncryptionKeyError } from "./crypto/cipher";
import { isStorageFailure } from "./db/storage-error";
import { ApiError } from "./errors";

/** The ApiError `error` stands for; undefined for an unexpected error (a 500 `internal_error`). */
export function asApiError(error: unknown): ApiError | undefined {
	if (error instanceof ApiError) return error;
	if (error instanceof EncryptionKeyError) return new ApiError("encryption_key_not_configured");
	if (isStorageFailure(error)) return new ApiError("storage_unavailable");
	return undefined;
}
