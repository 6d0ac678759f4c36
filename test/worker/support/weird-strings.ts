/**
 * fast-check arbitraries for hostile text: any code point, lone surrogates, controls, and the
 * characters URLs, JSON and SQL treat specially. Shared by the id round trip and the route fuzzer.
 */
import fc from "fast-check";

/** One UTF-16 code unit or code point, biased towards the ones parsers trip on. */
export const weirdChar: fc.Arbitrary<string> = fc.oneof(
	fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
	// lone halves of a surrogate pair: not well-formed UTF-16
	fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
	fc.constantFrom(
		".",
		"..",
		"/",
		"\\",
		"%",
		"%2e",
		"%2F",
		"%00",
		"?",
		"#",
		"&",
		"=",
		"+",
		" ",
		"\t",
		"\n",
		"\u0000",
		"\u007f",
		"\u0085",
		"\u00a0",
		"\u2028",
		"\ufeff",
		"\ufffd",
		"'",
		'"',
		"<",
		"{",
		"😀",
		"e\u0301",
	),
);

export function weirdString(maxLength = 40): fc.Arbitrary<string> {
	return fc.string({ unit: weirdChar, maxLength });
}
