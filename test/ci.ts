/** CI sets CI=true (GitHub Actions, GitLab, .ci/run); any other value, or none, is a developer's machine. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
