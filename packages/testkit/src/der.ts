/**
 * A minimal ASN.1 DER encoder: just the types an X.509 certificate needs.
 *
 * Node's `crypto` can sign and parse certificates but cannot build one, and the testkit takes no
 * dependencies, so the few TLV shapes a self-signed certificate needs are written out here.
 */

/** Encodes a DER length: short form below 128, long form (0x80 | byte count, big-endian) above. */
function encodeLength(length: number): Buffer {
	if (length < 0x80) return Buffer.from([length]);
	const bytes: number[] = [];
	for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value element. */
export function tlv(tag: number, content: Buffer): Buffer {
	return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: Buffer[]): Buffer {
	return tlv(0x30, Buffer.concat(items));
}

export function set(...items: Buffer[]): Buffer {
	return tlv(0x31, Buffer.concat(items));
}

/** A non-negative INTEGER from big-endian bytes (a 0x00 is prepended when the high bit is set, so it stays positive). */
export function unsignedInteger(bytes: Buffer): Buffer {
	let start = 0;
	while (start < bytes.length - 1 && bytes[start] === 0) start++;
	const trimmed = bytes.subarray(start);
	const first = trimmed[0] ?? 0;
	return tlv(0x02, first & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function smallInteger(value: number): Buffer {
	return unsignedInteger(Buffer.from([value]));
}

export function nullValue(): Buffer {
	return Buffer.from([0x05, 0x00]);
}

/** OBJECT IDENTIFIER from dotted form ("1.2.840.113549.1.1.11"). */
export function objectIdentifier(dotted: string): Buffer {
	const arcs = dotted.split(".").map(Number);
	const [first = 0, second = 0, ...rest] = arcs;
	const bytes: number[] = [first * 40 + second];
	for (const arc of rest) {
		// Base-128, most significant group first, continuation bit on all but the last group.
		const groups: number[] = [arc & 0x7f];
		for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
			groups.unshift((value & 0x7f) | 0x80);
		}
		bytes.push(...groups);
	}
	return tlv(0x06, Buffer.from(bytes));
}

export function utf8String(value: string): Buffer {
	return tlv(0x0c, Buffer.from(value, "utf8"));
}

export function bitString(bytes: Buffer): Buffer {
	// Leading 0x00: no unused bits in the last byte.
	return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

export function octetString(bytes: Buffer): Buffer {
	return tlv(0x04, bytes);
}

export function booleanValue(value: boolean): Buffer {
	return tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
}

/** `[n] EXPLICIT` context-specific constructed tag around an already-encoded element. */
export function explicit(tagNumber: number, content: Buffer): Buffer {
	return tlv(0xa0 | tagNumber, content);
}

/**
 * An X.509 `Time`: UTCTime for years 1950–2049 and GeneralizedTime otherwise, as RFC 5280 §4.1.2.5 requires.
 */
export function time(date: Date): Buffer {
	const iso = date.toISOString(); // 2025-01-31T12:34:56.789Z
	const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
	const year = date.getUTCFullYear();
	if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(digits.slice(2), "ascii"));
	return tlv(0x18, Buffer.from(digits, "ascii"));
}
