/**
 * The registry of values the product has read is matched through an index by prefix, not one
 * regular expression alternating every value (that cost grew with each value registered). This
 * pins that the index removes exactly what the alternation, longest value first, removed: values
 * that are prefixes of one another, that overlap, that repeat and that sit side by side.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactText, registerSensitive } from '../../shared/domain/redact';

// Few letters, so values share prefixes and overlap often; no rule but the registry's can fire on
// lower-case letters and spaces alone (no label, no URL, no key id) once tokens are off.
const letters = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 4, maxLength: 9 });

function byAlternation(text: string, values: Set<string>): string {
  const pattern = [...values].sort((a, b) => b.length - a.length).join('|');
  return text.replace(new RegExp(pattern, 'g'), REDACTED);
}

describe('the registry of read values', () => {
  it('removes what one alternation of every value, longest first, would remove', () => {
    const values = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(letters, { minLength: 1, maxLength: 4 }),
        fc.array(fc.oneof(letters, fc.constantFrom(' ', 'a', 'bc', 'cab')), { maxLength: 12 }),
        (added, pieces) => {
          for (const value of added) {
            registerSensitive(value);
            values.add(value);
          }
          const text = pieces.join('');
          expect(redactText(text, { tokens: false })).toBe(byAlternation(text, values));
        },
      ),
      { seed: 13, numRuns: 150 },
    );
  });

  it('removes a value registered after the same text was redacted once', () => {
    const text = 'connect failed: zqxjkvbw rejected';
    expect(redactText(text, { tokens: false })).toBe(text);
    registerSensitive('zqxjkvbw');
    expect(redactText(text, { tokens: false })).toBe(`connect failed: ${REDACTED} rejected`);
  });
});
