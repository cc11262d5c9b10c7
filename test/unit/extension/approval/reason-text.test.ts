import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundReason, FOLDED_BREAK, REASON_LIMITS } from '../../../../webview/approval/reason-text.js';
import { showInvisible, visibleLine } from '../../../../webview/shared/visible-text.js';

test('bidi controls, zero-width and control characters become visible escapes', () => {
  const cases: Array<[string, string]> = [
    ['\u202E', '⟨U+202E⟩'], // right-to-left override
    ['\u2066', '⟨U+2066⟩'], // left-to-right isolate
    ['\u200F', '⟨U+200F⟩'], // right-to-left mark
    ['\u061C', '⟨U+061C⟩'], // Arabic letter mark
    ['\u200B', '⟨U+200B⟩'], // zero width space
    ['\u200D', '⟨U+200D⟩'], // zero width joiner
    ['\uFEFF', '⟨U+FEFF⟩'], // byte order mark
    ['\u00AD', '⟨U+00AD⟩'], // soft hyphen
    ['\u0007', '⟨U+0007⟩'], // bell
    ['\u001B', '⟨U+001B⟩'], // escape (terminal sequences)
    ['\u0085', '⟨U+0085⟩'], // next line
    ['\u2028', '⟨U+2028⟩'], // line separator
    ['\u{E0041}', '⟨U+E0041⟩'], // tag character (hidden ASCII)
    ['\uFE0F', '⟨U+FE0F⟩'], // variation selector
    ['\u3164', '⟨U+3164⟩'], // Hangul filler
    ['\u034F', '⟨U+034F⟩'], // combining grapheme joiner
    ['\u17B4', '⟨U+17B4⟩'], // Khmer inherent vowel (renders as nothing)
    ['\u{E0101}', '⟨U+E0101⟩'], // variation selector supplement
  ];
  for (const [char, escape] of cases) {
    assert.deepEqual(showInvisible(`a${char}b`), { text: `a${escape}b`, escaped: 1 }, escape);
  }
});

test('what people can see stays as it is: letters of any script, emoji, tabs and newlines', () => {
  const text = 'Réduire la requête\tמגבלה 减少 🚀\nsecond line';
  assert.deepEqual(showInvisible(text), { text, escaped: 0 });
  assert.equal(visibleLine('a\nb\tc'), 'a⟨U+000A⟩b⟨U+0009⟩c', 'one-line values show their breaks');
});

test('a reason hiding a reversed word shows the override instead of obeying it', () => {
  const { preview, escaped } = boundReason('approve \u202Eevorppa-ton\u202C now');
  assert.equal(preview, 'approve ⟨U+202E⟩evorppa-ton⟨U+202C⟩ now');
  assert.equal(escaped, 2);
});

test('a 2,000-newline reason is a few lines in the box', () => {
  const reason = `Right-size the api.${'\n'.repeat(2000)}Then the worker.`;
  const bounded = boundReason(reason);
  assert.equal(bounded.preview, 'Right-size the api.\n\nThen the worker.');
  assert.ok(bounded.preview.split('\n').length <= REASON_LIMITS.lines);
  assert.equal(bounded.truncated, false, 'blank runs collapse: nothing more to show');
});

test('2,000 lines of text fold past the first few lines, with each fold visible, and are capped', () => {
  const reason = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`).join('\n');
  const bounded = boundReason(reason);
  const lines = bounded.preview.split('\n');
  assert.equal(lines.length, REASON_LIMITS.lines);
  assert.deepEqual(lines.slice(0, 5), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  assert.ok(lines[5]!.startsWith(`line 6${FOLDED_BREAK}line 7${FOLDED_BREAK}`), lines[5]);
  assert.ok([...bounded.preview].length <= REASON_LIMITS.chars + 1, 'capped, plus the ellipsis');
  assert.ok(bounded.preview.endsWith('…'));
  assert.equal(bounded.truncated, true);
  assert.equal(bounded.lines, 2000);
  assert.equal(bounded.full, reason, 'show all shows every line');
});

test('the cap never cuts an escape in half', () => {
  const reason = `${'x'.repeat(REASON_LIMITS.chars - 3)}\u202Eafter`;
  const { preview } = boundReason(reason);
  assert.equal(preview, `${'x'.repeat(REASON_LIMITS.chars - 3)}…`);
});

test('carriage returns are line breaks, and surrounding blank lines go', () => {
  assert.equal(boundReason('\r\n\r\none\r\ntwo\rthree\n\n').full, 'one\ntwo\nthree');
});
