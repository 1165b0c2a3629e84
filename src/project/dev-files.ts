/** Tests, configuration, scripts and stories are built or run by developers only: dev dependencies. */
const DEV_PATH =
  /(?:^|\/)(?:tests?|__tests__|__mocks__|spec|e2e|scripts?|stories|benchmarks?)\/|\.(?:test|spec|stories|bench|config)\.[cm]?[jt]sx?$|(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/;

/** Whether a file is only ever run by developers (tests, config, scripts). */
export function isDevFile(file: string): boolean {
  return DEV_PATH.test(file);
}
