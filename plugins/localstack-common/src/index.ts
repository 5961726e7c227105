/**
 * Kubemate local stack: the permission and API types of the Local stack page — the dev stack's
 * servers as `deploy/dev/stack.sh` records them in progress.json, and their logs.
 *
 * @packageDocumentation
 */
import { createPermission } from '@backstage/plugin-permission-common';
import type { DevStackServer } from '@kubemate/plugin-kubemate-common';

export {
  describeDevStack,
  describeServer,
  devStackSecondsLeft,
  DEV_STACK_SERVER_STATES,
} from '@kubemate/plugin-kubemate-common';
export type {
  DevStackServer,
  DevStackServerState,
} from '@kubemate/plugin-kubemate-common';

/** See the local stack's servers and their logs (a developer's machine; nothing is changed). */
export const localstackServerReadPermission = createPermission({
  name: 'localstack.server.read',
  attributes: { action: 'read' },
});

export const localstackPermissions = [localstackServerReadPermission];

/** GET /servers. */
export type LocalStackServersResponse =
  | {
      /** This portal has no local stack (production: no progress file is configured). */
      configured: false;
    }
  | {
      configured: true;
      /** A `stack.sh build/up` is working through the list (its pid is alive). */
      running: boolean;
      /** When the file was written (what the ETAs are counted from); absent before the first run. */
      updatedAt?: string;
      startedAt?: string;
      /** Empty when the stack has not been started. */
      servers: DevStackServer[];
    };

/** GET /servers/:id/log. */
export interface LocalStackLogResponse {
  id: string;
  /** The log file (absolute path), or null when the server names none. */
  path: string | null;
  /** The last lines (at most `lines`), oldest first; empty when the file does not exist yet. */
  lines: string[];
  /** The file is longer than what is shown. */
  truncated: boolean;
}
