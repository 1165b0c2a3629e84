import { describe, expect, it } from 'vitest';
import { extractShellCommands } from '../../src/extractors/shell/index.js';
import type { PackageRef } from '../../src/model/package-ref.js';

/** `serde 1.0 installed [dev] (git URL) as alias`: what a user reads off one ref. */
function summary(ref: PackageRef): string {
  let text = ref.name;
  if (ref.version !== undefined) text += `@${ref.version}`;
  if (ref.spec !== undefined) text += ` ${ref.spec}`;
  text += ` ${ref.source}`;
  if (ref.groups) text += ` [${ref.groups.join(',')}]`;
  if (ref.origin !== 'registry') text += ` (${ref.origin} ${ref.url})`;
  if (ref.alias) text += ` as ${ref.alias}`;
  if (ref.inferred) text += ' inferred';
  return text;
}

const CASES: [string, string[]][] = [
  ['cargo add serde', ['serde installed']],
  // `foo@1.2` is a requirement as in Cargo.toml (^1.2), not a version.
  ['cargo add tokio@1.28 -F full', ['tokio 1.28 installed']],
  ['cargo add time@=0.1.43', ['time@0.1.43 installed']],
  ['cargo add serde serde_json@1 --features serde/derive', ['serde installed', 'serde_json 1 installed']],
  ['cargo add proptest --dev', ['proptest installed [dev]']],
  ['cargo add cc --build', ['cc installed [build]']],
  ['cargo add openssl --optional', ['openssl installed [optional]']],
  ['cargo add reqwest --rename http_client', ['reqwest installed as http_client']],
  ['cargo add -p api --manifest-path crates/api/Cargo.toml axum', ['axum installed']],
  [
    'cargo add regex --git https://git.example.org/rust-lang/regex.git --rev 0c09903',
    ['regex installed (git https://git.example.org/rust-lang/regex.git)'],
  ],
  [
    'cargo add --git https://git.example.org/acme/widgets.git',
    ['widgets installed (git https://git.example.org/acme/widgets.git) inferred'],
  ],
  ['cargo add --path ../utils', ['utils installed (path ../utils) inferred']],
  ['cargo +nightly add rayon', ['rayon installed']],
  ['cargo install ripgrep', ['ripgrep installed [global]']],
  // cargo install reads a bare version as that exact version.
  ['cargo install cargo-edit@0.12.2', ['cargo-edit@0.12.2 installed [global]']],
  ['cargo install --version 0.12.2 cargo-edit', ['cargo-edit@0.12.2 installed [global]']],
  ['cargo install --version ~0.12 cargo-edit', ['cargo-edit ~0.12 installed [global]']],
  ['cargo binstall cargo-nextest', ['cargo-nextest installed [global]']],
  ['cargo install --path .', []],
  ['cargo build --release && cargo test', []],
  ['cargo add "$CRATE"', []],
];

describe('shell: cargo', () => {
  it.each(CASES)('%s', (command, expected) => {
    const out = extractShellCommands(command, 'setup.sh');
    expect(out.refs.map(summary)).toEqual(expected);
    for (const ref of out.refs) expect(ref.ecosystem).toBe('crates.io');
  });
});
