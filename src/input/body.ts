/**
 * Reads a JSON request body at the boundary (docs/conventions.md#4-validate-at-the-boundary): content type required, 1 MB limit,
 * malformed JSON and schema failures turned into clear 4xx errors before a handler runs.
 */
import * as v from "valibot";
import { readCappedText } from "../capped-text";
import { ApiError, isErrorCode } from "../errors";

const MAX_BODY_BYTES = 1024 * 1024;

export async function readJson<const S extends v.GenericSchema>(
	request: Request,
	schema: S,
): Promise<v.InferOutput<S>> {
	const type = request.headers.get("content-type") ?? "";
	if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
		throw new ApiError("unsupported_content_type");
	}
	const text = await readText(request);
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		throw new ApiError("invalid_json");
	}
	return parseInput(schema, data, "invalid_body");
}

/**
 * The body as UTF-8 text, at most 1 MB. A chunked body has no Content-Length to check first, so
 * bytes are counted as they arrive and the stream is cancelled once past the limit: a client
 * must not make the worker buffer an unbounded body before it is refused.
 */
async function readText(request: Request): Promise<string> {
	const declared = Number(request.headers.get("content-length") ?? "0");
	if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large");
	const text = await readCappedText(request.body, MAX_BODY_BYTES);
	if (text === undefined) throw new ApiError("payload_too_large");
	return text;
}

/**
 * Validates `data`; the first issue becomes the error. A schema can name the error code of an
 * issue by setting its message to a code from the vocabulary (e.g. "missing_client_id").
 */
export function parseInput<const S extends v.GenericSchema>(
	schema: S,
	data: unknown,
	fallback: "invalid_body" | "invalid_query",
): v.InferOutput<S> {
	const result = v.safeParse(schema, data);
	if (result.success) return result.output;
	const issue = result.issues[0];
	const message = missingKeyMessage(schema, issue) ?? issue.message;
	if (isErrorCode(message)) throw new ApiError(message);
	const path = v.getDotPath(issue);
	throw new ApiError(fallback, path ? `${path}: ${issue.message}` : issue.message);
}

/**
 * Valibot reports a missing key with the object's own message; the field's schema knows the
 * error code for "absent" (e.g. missing_client_id), so ask it.
 */
function missingKeyMessage(schema: v.GenericSchema, issue: v.BaseIssue<unknown>): string | undefined {
	const key = issue.path?.[0]?.key;
	if (issue.input !== undefined || issue.path?.length !== 1 || typeof key !== "string") return undefined;
	const entries = (schema as { entries?: Record<string, v.GenericSchema> }).entries;
	const entry = entries && Object.hasOwn(entries, key) ? entries[key] : undefined;
	if (!entry) return undefined;
	const result = v.safeParse(entry, undefined);
	return result.success ? undefined : result.issues[0].message;
}
