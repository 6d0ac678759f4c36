// @ts-check
/**
 * What the CLI prints: aligned tables and key/value blocks for people, JSON for scripts, "✓"
 * lines on success and "✗" lines on stderr on failure. Colours only on a TTY and never with
 * NO_COLOR (https://no-color.org: any non-empty value).
 */

/** @import { Io } from "./main.mjs" */

/**
 * @template T
 * @typedef {[heading: string, cell: (row: T) => unknown]} Column
 */

const GREEN = 32;
const RED = 31;
const BOLD = 1;
const DIM = 2;

/** @param {Io} io */
export function createOutput(io) {
	const noColor = Boolean(io.env.NO_COLOR);
	const outColor = Boolean(io.stdout.isTTY) && !noColor;
	const errColor = Boolean(io.stderr.isTTY) && !noColor;
	/** @param {boolean} on @param {number} code @param {string} text */
	const paint = (on, code, text) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
	/** @param {string} text @returns {void} */
	const out = (text) => {
		io.stdout.write(`${text}\n`);
	};

	return {
		/** @param {string} text */
		line: (text) => out(printable(text)),
		/** @param {unknown} value */
		json: (value) => out(JSON.stringify(value, null, 2)),
		/** @param {string} text */
		success: (text) => out(`${paint(outColor, GREEN, "✓")} ${printable(text)}`),
		/** @param {string} text @param {string} [hint] */
		failure(text, hint) {
			io.stderr.write(`${paint(errColor, RED, "✗")} ${printable(text)}\n`);
			if (hint) io.stderr.write(`  ${paint(errColor, DIM, printable(hint))}\n`);
		},
		/** Failures of scripts (`--json`): the worker's own error shape, on stderr. @param {{ error: string, code: string }} body */
		jsonFailure(body) {
			io.stderr.write(`${JSON.stringify(body)}\n`);
		},
		/** For commander's own messages (usage errors). @param {string} text */
		errorText: (text) => paint(errColor, RED, text),
		/**
		 * @template T
		 * @param {T[]} rows
		 * @param {Column<T>[]} columns
		 * @param {string} empty printed instead of a table without rows
		 */
		table(rows, columns, empty) {
			if (rows.length === 0) return out(empty);
			const cells = rows.map((row) => columns.map(([, cell]) => oneLine(text(cell(row)))));
			const widths = columns.map(([heading], i) =>
				Math.max(width(heading), ...cells.map((line) => width(line[i] ?? ""))),
			);
			/** @param {string[]} line */
			const render = (line) =>
				line
					.map((cell, i) => (i === line.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
					.join("  ")
					.trimEnd();
			out(paint(outColor, BOLD, render(columns.map(([heading]) => heading))));
			for (const line of cells) out(render(line));
		},
		/** A key/value block, labels aligned. @param {[label: string, value: unknown][]} pairs */
		details(pairs) {
			const labelWidth = Math.max(...pairs.map(([label]) => width(label)));
			for (const [label, value] of pairs) {
				out(`${paint(outColor, BOLD, pad(label, labelWidth))}  ${oneLine(text(value))}`);
			}
		},
	};
}

/** @typedef {ReturnType<typeof createOutput>} Output */

/** @param {unknown} value */
function text(value) {
	if (value === undefined || value === null || value === "") return "-";
	if (typeof value === "object") return JSON.stringify(value);
	return String(value);
}

/**
 * Server data (metadata, messages) reaches a terminal: escape control characters so it cannot
 * move the cursor or recolour the screen. Newlines survive only where a block of text is meant.
 * @param {string} value
 */
function printable(value) {
	return value.replace(/[^\P{Cc}\n]/gu, escapeControl);
}

/** @param {string} value */
function oneLine(value) {
	return value.replace(/\p{Cc}/gu, escapeControl);
}

/** @param {string} ch */
function escapeControl(ch) {
	return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Code points, not UTF-16 units, so ids with emoji stay aligned. @param {string} value */
function width(value) {
	return [...value].length;
}

/** @param {string} value @param {number} size */
function pad(value, size) {
	return value + " ".repeat(Math.max(0, size - width(value)));
}
