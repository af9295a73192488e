// Unit tests of validation and comparison: every kind of bad learner value gets its own precise message.
import { describe, expect, it } from 'vitest';
import { compare, compareExact, compareShape, compareTensor, sameValue, validateNested, type TensorCheck } from '../../graders/lib/compare';
import { excerpt, toPlain } from '../../graders/lib/plain';

const W: TensorCheck = { kind: 'tensor', name: 'weights', dims: ['Tq', 'Tk'] };
const expected = [[0.25, 0.75], [0.5, 0.5]];

describe('validation of a learner value', () => {
  const cases: [string, unknown, RegExp][] = [
    ['undefined', undefined, /^weights is undefined — did you forget to return it\?$/],
    ['a string', 'weights', /^weights is a string \("weights"\); expected an array of Tq = 2 arrays$/],
    ['a number', 3, /^weights is 3; expected an array of Tq = 2 arrays$/],
    ['too few rows', [[0.25, 0.75]], /^weights has 1 entry; expected Tq = 2$/],
    ['a ragged row', [[0.25, 0.75], [0.5, 0.5, 0]], /^weights\[1\] has 3 entries; expected Tk = 2$/],
    ['a row that is not an array', [[0.25, 0.75], null], /^weights\[1\] is null; expected an array of Tk = 2 numbers$/],
    ['a string entry', [[0.25, '0.75'], [0.5, 0.5]], /^weights\[0\]\[1\] is a string \("0.75"\); expected a number$/],
    ['an undefined entry (hole)', [[0.25, undefined], [0.5, 0.5]], /^weights\[0\]\[1\] is undefined; expected a number$/],
    ['one axis too many', [[[0.25], [0.75]], [0.5, 0.5]], /^weights\[0\]\[0\] is an array; expected a number/],
    ['a function (after copying)', toPlain(() => 1), /^weights is a function; expected an array/],
    ['a Promise', toPlain(Promise.resolve(1)), /^weights is a Promise \(the function must not be async\)/],
  ];
  it.each(cases)('%s', (_, value, message) => {
    const v = compareTensor(value, expected, W);
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(message);
  });

  it('reports NaN and Infinity by index, with the worst entry', () => {
    const v = compareTensor([[NaN, 0.75], [0.5, Infinity]], expected, W);
    expect(v.pass).toBe(false);
    expect(v.message).toContain('weights[0][0]: expected 0.25, got NaN');
    expect(v.message).toContain('weights[1][1]: expected 0.5, got Infinity');
    expect(v.worst?.index).toEqual([0, 0]);
  });

  it('validateNested accepts a well-formed value', () => {
    expect(validateNested([[1, 2], [3, 4]], [2, 2], 'x', ['Tq', 'Tk'])).toBeNull();
  });
});

describe('numeric comparison', () => {
  it('passes within atol + rtol·|expected| and fails just outside', () => {
    expect(compareTensor([[0.25 + 5e-9, 0.75], [0.5, 0.5]], expected, W).pass).toBe(true);
    expect(compareTensor([[0.25 + 1e-6, 0.75], [0.5, 0.5]], expected, W).pass).toBe(false);
    expect(compareTensor([[1000.0005]], [[1000]], { ...W, atol: 0, rtol: 1e-6 }).pass).toBe(true);
    expect(compareTensor([[1000.002]], [[1000]], { ...W, atol: 0, rtol: 1e-6 }).pass).toBe(false);
  });

  it('reports the worst index and the first mismatches', () => {
    const v = compareTensor([[0.2, 0.75], [0.1, 0.5]], expected, W);
    expect(v.message).toMatch(/^2 of 4 entries differ/);
    expect(v.worst).toMatchObject({ index: [1, 0], expected: 0.5, actual: 0.1 });
    expect(v.message).toContain('largest error 0.4 at weights[1][0]');
  });

  it('matches equal infinities (masked scores) and rejects a finite stand-in', () => {
    const S = [[1, -Infinity]];
    expect(compareTensor([[1, -Infinity]], S, W).pass).toBe(true);
    expect(compareTensor([[1, -1e9]], S, W).pass).toBe(false);
  });

  it('reports hidden positions that leaked, by index, even below tolerance', () => {
    const hidden = [[false, true], [false, false]];
    const v = compareTensor([[1, 1e-12], [0.5, 0.5]], [[1, 0], [0.5, 0.5]], { ...W, hidden, hiddenWord: 'future' });
    expect(v.pass).toBe(false);
    expect(v.leaks).toEqual([[0, 1]]);
    expect(v.message).toMatch(/^1 future position leaked/);
    expect(v.message).toContain('weights[0][1] = 1e-12 at a future position; it must be exactly 0');
  });

  it('compares a scalar (rank 0)', () => {
    expect(compareTensor(2, 2, { kind: 'tensor', name: 'bytes', dims: [] }).pass).toBe(true);
    expect(compareTensor('2', 2, { kind: 'tensor', name: 'bytes', dims: [] }).message).toBe('bytes is a string ("2"); expected a number');
  });
});

describe('shapes and exact values', () => {
  it('names the wrong axis of a shape', () => {
    expect(compareShape([3, 2], [2, 3], { kind: 'shape', name: 'S', dims: ['Tq', 'Tk'] }).message).toBe(
      'shape of S: expected [Tq, Tk] = [2, 3], got [3, 2] (axis 0, Tq, should be 2)',
    );
    expect(compareShape([2], [2, 3], { kind: 'shape', name: 'S', dims: ['Tq', 'Tk'] }).message).toMatch(/has 1 axis \[2\]; expected 2/);
    expect(compareShape([2, 2.5], [2, 3], { kind: 'shape', name: 'S', dims: ['Tq', 'Tk'] }).message).toMatch(/S\[1\] is 2.5; every entry of a shape is a non-negative integer/);
    expect(compareShape(undefined, [2, 3], { kind: 'shape', name: 'S', dims: ['Tq', 'Tk'] }).message).toMatch(/shape of S is missing/);
  });

  it('checks an object of shapes key by key', () => {
    const v = compare({ Q: [2, 4], S: [3, 2] }, { Q: [2, 4], S: [2, 3] }, { kind: 'shapes', dims: { Q: ['Tq', 'd_k'], S: ['Tq', 'Tk'] } });
    expect(v.message).toMatch(/^1 of 2 shapes are wrong: shape of S/);
    expect(compare([1, 2], { Q: [2, 4] }, { kind: 'shapes', dims: { Q: ['Tq', 'd_k'] } }).message).toMatch(/should be an object \{ Q \}; got an array of 2/);
  });

  it('compares labels exactly', () => {
    expect(compareExact(['sharp', 'mixed'], ['sharp', 'diffuse'], 'kinds').message).toBe('kinds[1] is "mixed"; expected "diffuse"');
    expect(compareExact(['sharp'], ['sharp', 'diffuse'], 'kinds').message).toBe('kinds has 1 entries; expected 2');
  });
});

describe('sameValue (mistake matching) and plain copies', () => {
  it('treats NaN as equal to NaN and needs equal shapes', () => {
    expect(sameValue([[NaN, 1]], [[NaN, 1 + 1e-12]])).toBe(true);
    expect(sameValue([[NaN, 1]], [[0, 1]])).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({ a: [1] }, { a: [1], b: 2 })).toBe(false);
  });

  it('copies hostile values without throwing', () => {
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    expect(toPlain(cyclic)).toEqual([1, { $unsupported: 'a circular reference' }]);
    const getter = { get x() { throw new Error('boom'); } };
    expect(toPlain(getter)).toEqual({ x: { $unsupported: 'a value that could not be read' } });
    expect(toPlain(new Float64Array([1, 2]))).toEqual([1, 2]);
    expect(toPlain(new Proxy([1, 2], { get() { throw new Error('trap'); } }))).toEqual({ $unsupported: 'a value that could not be read' });
  });

  it('makes JSON-safe excerpts, truncating long axes', () => {
    expect(excerpt([NaN, Infinity, -Infinity, 1])).toEqual(['NaN', 'Infinity', '-Infinity', 1]);
    expect(excerpt(Array.from({ length: 12 }, (_, i) => i), 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, '… 4 more']);
  });
});
