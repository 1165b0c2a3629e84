/**
 * What a long-running surface (the MCP server, the answer proxy) keeps open between its checks: the
 * registry cache and npm configuration, and the vulnerability database. Without one, each check opens and
 * reads them again, which is most of the time of a check answered from the cache.
 */
import { RegistrySession } from '../registry/resolve.js';
import { AdvisorySession } from '../vulndb/scan-advisories.js';

export interface ScanSession {
  readonly registry: RegistrySession;
  readonly advisories: AdvisorySession;
  close(): void;
}

export function openScanSession(): ScanSession {
  const registry = new RegistrySession();
  const advisories = new AdvisorySession();
  return {
    registry,
    advisories,
    close() {
      registry.close();
      advisories.close();
    },
  };
}
