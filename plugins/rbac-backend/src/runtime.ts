import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { RbacEngine } from './services/RbacEngine';

/**
 * Hands the rbac plugin's engine (roles from its database and files, catalog membership) to the
 * permission policy, which runs inside the permission plugin. Root-scoped: one per backend.
 */
export class RbacRuntime {
  private engineValue?: RbacEngine;
  private readonly waiters: Array<(e: RbacEngine) => void> = [];

  attach(engine: RbacEngine) {
    this.engineValue = engine;
    this.waiters.splice(0).forEach(w => w(engine));
  }

  /** The engine, once the rbac plugin has started (rejects after `timeoutMs`). */
  engine(timeoutMs = 30_000): Promise<RbacEngine> {
    if (this.engineValue) return Promise.resolve(this.engineValue);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error('the rbac plugin has not started; is it installed?'),
          ),
        timeoutMs,
      );
      timer.unref?.();
      this.waiters.push(e => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  }
}

export const rbacRuntimeServiceRef = createServiceRef<RbacRuntime>({
  id: 'kubemate.rbac.runtime',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => new RbacRuntime(),
    }),
});
