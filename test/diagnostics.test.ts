/**
 * One test per diagnostic code, for the file and syntax stages: the exact message, place,
 * help and notes a user sees. Sources are inline; imports live in memory next to the main
 * file. The resolver's codes are in diagnostics-semantic.test.ts.
 */
import test from 'ava';
import { checkFile, resolveFile } from '../src/compiler/resolve/index.js';
import { check, INPUT, MAIN, show } from './helpers/diagnostics.js';

test('unexpected-character', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1 ; kernel: 1 }\n}`), [
    "unexpected-character 3:20 unexpected character ';'",
    'help: entries need no separator: write them one after another',
  ]);
});

test('unterminated-string', (t) => {
  t.deepEqual(check('import "vgg16.fcn\nnet a {}'), [
    `unterminated-string 1:8 unterminated string: a string must close with '"' on the same line`,
  ]);
});

test('single-quoted-string', (t) => {
  t.deepEqual(check("import 'vgg16.fcn'\nnet a {}"), [
    'single-quoted-string 1:8 strings use double quotes',
    'help: write "vgg16.fcn"',
  ]);
});

test('expected-colon', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out = 1  kernel: 1 }\n}`), [
    "expected-colon 3:17 expected ':', found '='",
    'help: properties are written `key: value`',
  ]);
});

test('unexpected-token: a misspelt keyword at the top', (t) => {
  t.deepEqual(check('nte a {}'), [
    "unexpected-token 1:1 expected 'import', 'net' or 'block', found 'nte'",
    "help: did you mean 'net'?",
  ]);
});

test('unexpected-token: a misspelt item keyword', (t) => {
  t.deepEqual(check('net a {\n  inpt data { channels: 3 }\n}'), [
    "unexpected-token 2:8 expected ':' or '{' after 'inpt', found 'data'",
    "help: did you mean 'input'?",
  ]);
});

test('unexpected-token: a layer without its colon', (t) => {
  t.deepEqual(check(`${INPUT}  conv1 conv { out: 1 }\n}`), [
    "unexpected-token 3:9 expected ':' between the layer name 'conv1' and its type 'conv'",
  ]);
});

test('unexpected-token: a property without its colon', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out 1 }\n}`), ["unexpected-token 3:17 expected ':' after 'out', found '1'"]);
});

test('unexpected-token: a missing value', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: }\n}`), [
    "unexpected-token 3:18 expected a value (a number, string, name, list or call), found '}'",
    'help: a value is missing here',
  ]);
});

test('unexpected-token: one per broken line, and every broken line', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out 1 }\n  d: { out: 1 }\n  e: relu { bottom: [a b] }\n}`), [
    "unexpected-token 3:17 expected ':' after 'out', found '1'",
    "unexpected-token 4:6 expected a layer type after ':', found '{'",
    "unexpected-token 5:24 expected ',' or ']' in the list, found 'b'",
  ]);
});

test('unexpected-token: a definition left open before the next one', (t) => {
  t.deepEqual(check('block b {\n  c: relu\nnet a {\n  input data\n}'), [
    "unexpected-token 3:1 expected a layer (`name: type`), 'input', 'solver', 'repeat', a block instance or '}', found 'net'",
    "help: is the '}' that closes the definition above missing?",
  ]);
});

test('unexpected-end', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1`), [
    "unexpected-end 3:19 unexpected end of file: expected '}'",
    "note: the '{' opened here is never closed @3:11",
  ]);
});

test('unexpected-end of the last net only: the net is checked too', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1 }\n`), [
    "missing-parameter 3:3 missing parameter 'kernel' for conv layer 'c'",
    "unexpected-end 3:21 unexpected end of file: expected '}'",
    "note: the '{' opened here is never closed @1:7",
  ]);
});

test('lexical slips leave the file whole: the net is checked too', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out = 1 ; kernel: 3 }\n  r: relu { bottom: cc }\n}`), [
    "expected-colon 3:17 expected ':', found '='",
    'help: properties are written `key: value`',
    "unexpected-character 3:21 unexpected character ';'",
    'help: entries need no separator: write them one after another',
    "unknown-blob 4:21 unknown blob 'cc'",
    "help: did you mean 'c'?",
  ]);
});

test('too-deeply-nested', (t) => {
  t.deepEqual(check(`net a { x: y { k: ${'['.repeat(70)} } }`), [
    'too-deeply-nested 1:81 nesting deeper than 64 levels',
  ]);
});

test('expression-too-long', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: ${Array(300).fill('1').join(' + ')}  kernel: 1 }\n}`), [
    'expression-too-long 3:1044 an expression with more than 256 operators',
  ]);
});

test('file-not-found', (t) => {
  t.deepEqual(resolveFile('test/virtual/nope.fcn').diagnostics.flatMap(show), [
    "file-not-found - cannot read 'test/virtual/nope.fcn': no such file",
  ]);
});

test('file-unreadable', (t) => {
  // test/fixtures is a directory: it exists but cannot be read as a file.
  t.deepEqual(check('import "../fixtures"\nnet a {}'), [
    "file-unreadable 1:8 cannot read 'test/fixtures': EISDIR: illegal operation on a directory, read",
  ]);
});

test('import-not-found, with the nearest .fcn file next to it', (t) => {
  const files = { 'test/virtual/vgg16.fcn': 'net vgg16 {}' };
  t.deepEqual(check('import "vgg61.fcn"\nnet a {}', { files }), [
    "import-not-found 1:8 cannot find 'vgg61.fcn' (looked for test/virtual/vgg61.fcn)",
  ]);
  t.deepEqual(check('import "../../nets/vgg61.fcn"\nnet a {}'), [
    "import-not-found 1:8 cannot find '../../nets/vgg61.fcn' (looked for nets/vgg61.fcn)",
    "help: did you mean '../../nets/vgg16.fcn'?",
  ]);
});

test('import-cycle, with the chain in notes', (t) => {
  const files = {
    'test/virtual/b.fcn': 'import "c.fcn"\nblock b {}',
    'test/virtual/c.fcn': 'import "main.fcn"\nblock c {}',
  };
  t.deepEqual(check('import "b.fcn"\nnet a {}', { files }), [
    'import-cycle test/virtual/c.fcn:1:1 import cycle: test/virtual/main.fcn → test/virtual/b.fcn → test/virtual/c.fcn → test/virtual/main.fcn',
    'note: test/virtual/main.fcn imports test/virtual/b.fcn @1:1',
    'note: test/virtual/b.fcn imports test/virtual/c.fcn @test/virtual/b.fcn:1:1',
  ]);
});

test('duplicate-definition', (t) => {
  t.deepEqual(check('block b {}\nblock b {}\nnet a {}'), [
    "duplicate-definition 2:7 'b' is defined twice",
    'note: first defined here @1:7',
  ]);
});

test('shadowed-definition (a warning)', (t) => {
  const files = { 'test/virtual/lib.fcn': 'block b {}' };
  t.deepEqual(check('import "lib.fcn"\nblock b {}\nnet a {}', { files }), [
    "shadowed-definition 2:7 'b' here hides the block of the same name imported from test/virtual/lib.fcn",
    'note: the hidden definition @test/virtual/lib.fcn:1:7',
  ]);
});

test('ambiguous-name', (t) => {
  const files = { 'test/virtual/x.fcn': 'block b {}', 'test/virtual/y.fcn': 'block b {}' };
  t.deepEqual(check('import "x.fcn"\nimport "y.fcn"\nnet a {\n  input data\n  b { }\n}', { files }), [
    "ambiguous-name 5:3 'b' is defined by more than one import",
    'note: defined in test/virtual/x.fcn @test/virtual/x.fcn:1:7',
    'note: defined in test/virtual/y.fcn @test/virtual/y.fcn:1:7',
  ]);
});

test('reserved-name', (t) => {
  t.deepEqual(check('block conv {}\nnet a {}'), [
    "reserved-name 1:7 'conv' is a built-in layer type and cannot name a block",
  ]);
});

test('no-net', (t) => {
  t.deepEqual(check('block b {}'), [
    "no-net 1:1 'test/virtual/main.fcn' defines no net",
    'help: a net is written `net name { … }`',
  ]);
  // `check` accepts a library of blocks, but not a file that defines nothing at all.
  t.deepEqual(checkFile(MAIN, { files: { [MAIN]: '# only a comment\n' } }).diagnostics.flatMap(show), [
    "no-net 1:1 'test/virtual/main.fcn' defines no net or block",
    'help: a net is written `net name { … }`',
  ]);
});

test('unknown-net', (t) => {
  t.deepEqual(check('net first {}\nnet second {}\nblock b {}', { net: 'secnd' }), [
    "unknown-net - 'test/virtual/main.fcn' has no net 'secnd'; it defines 'first', 'second'",
    "help: did you mean 'second'?",
  ]);
  t.deepEqual(check('net first {}\nblock b {}', { net: 'b' }), [
    "unknown-net - 'b' is a block, not a net",
    'note: defined here @2:7',
  ]);
});
