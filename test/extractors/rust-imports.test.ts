import { beforeAll, describe, expect, it } from 'vitest';
import { rustImports } from '../../src/extractors/rust/imports.js';
import { extractFixture, testContext } from '../helpers.js';

beforeAll(async () => {
  await rustImports.init?.();
});

describe('rust/imports', () => {
  it('reads the crates of use paths and extern crate, not std, the crate itself or local modules', () => {
    const out = extractFixture(rustImports, 'extractors/rust-imports/basic/main.rs');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.location.line}:${r.location.column} ${r.name}`)).toEqual([
      '2:14 log',
      '3:14 serde_json',
      '8:7 tokio',
      '9:6 anyhow',
      '9:22 rand',
      '10:5 reqwest',
      '14:5 async_trait',
      '15:5 tokio_util',
      '21:9 itertools',
      '28:9 chrono',
    ]);
    // The crate name is guessed from the identifier (`tokio_util` is the package tokio-util).
    for (const ref of out.refs) expect(ref).toMatchObject({ source: 'imported', inferred: true });
  });

  it('reads an empty file as no imports', () => {
    expect(extractFixture(rustImports, 'extractors/rust-imports/empty/main.rs')).toEqual({
      refs: [],
      errors: [],
      facts: [],
    });
  });

  it('reports a syntax error at the missing token and keeps the imports', () => {
    const out = extractFixture(rustImports, 'extractors/rust-imports/broken/main.rs');
    expect(out.errors).toEqual([{ line: 5, column: 38, message: 'syntax error: missing ")"' }]);
    expect(out.refs.map((r) => r.name)).toEqual(['serde', 'regex']);
  });

  it('keeps a crate whose use binds its own name, and drops names other uses bring in', () => {
    const text = [
      'use lazy_static::lazy_static;',
      'use std::sync::mpsc;',
      'use mpsc::channel;',
      'use serde::{Deserialize as De, de};',
      'use de::Visitor;',
      'use De::x;',
    ].join('\n');
    const out = rustImports.extract({ path: 'lib.rs', text }, testContext());
    expect(out.refs.map((r) => r.name)).toEqual(['lazy_static', 'serde']);
  });
});
