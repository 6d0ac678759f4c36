// @ts-check
/**
 * Parsers for option values. Commander reports an `InvalidArgumentError` as a usage error
 * (exit code 2) naming the option, before any request is sent.
 */
import { InvalidArgumentError } from "commander";

/**
 * `--param name=value`, repeatable: collects into one object. Only the first "=" splits, so
 * values may contain "=" (base64, URLs).
 * @param {string} value
 * @param {Record<string, string> | undefined} previous
 * @returns {Record<string, string>}
 */
export function keyValue(value, previous) {
	const at = value.indexOf("=");
	if (at <= 0) throw new InvalidArgumentError(`expected name=value, got '${value}'.`);
	return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/**
 * `--expires-at`: ISO text, or epoch seconds/milliseconds passed on as a number, as the worker
 * accepts both.
 * @param {string} value
 * @returns {string | number}
 */
export function expiresAt(value) {
	if (/^\d+$/.test(value)) return Number(value);
	if (Number.isNaN(Date.parse(value))) {
		throw new InvalidArgumentError(`expected an ISO date or epoch seconds, got '${value}'.`);
	}
	return value;
}
