import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DatabaseService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import {
  BOOTSTRAP_ROLE,
  Role,
  RoleConflict,
  RoleSpec,
  RolesResponse,
  normalizeMemberRef,
  validateRoleSpec,
} from '@kubemate/plugin-rbac-common';
import { Knex } from 'knex';
import { parse as parseYaml } from 'yaml';
import { RoleStore } from './types';

export const RBAC_ROLES_TABLE = 'kubemate_rbac_roles';
export { BOOTSTRAP_ROLE };

type Row = {
  name: string;
  spec: string;
  created_at: string | Date | number;
  created_by: string;
  updated_at: string | Date | number;
  updated_by: string;
};

/** A role file's state: the last valid roles stay in force while the file does not validate. */
interface DeclaredFile {
  path: string;
  mtimeMs?: number;
  roles: Role[];
  error?: string;
}

const iso = (v: string | Date | number) => new Date(v).toISOString();

/**
 * Roles from three sources, one source of truth per role name:
 * config (bootstrap admins) > role files (GitOps) > database (UI / REST API).
 * A database role whose name a declared role takes is hidden and reported as a conflict; the UI
 * and API refuse to create or edit a role under a declared name.
 */
export class DefaultRoleStore implements RoleStore {
  private readonly db: () => Promise<Knex>;
  private readonly files: DeclaredFile[];
  private cache?: { at: number; value: RolesResponse };

  constructor(
    database: DatabaseService,
    private readonly logger: LoggerService,
    private readonly bootstrap: Role | undefined,
    filePaths: string[],
    private readonly cacheMs = 5_000,
  ) {
    this.db = lazyDatabase(database, db =>
      ensureTable(db, RBAC_ROLES_TABLE, table => {
        table.string('name').primary();
        table.text('spec').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable();
        table.string('created_by').notNullable();
        table.timestamp('updated_at', { useTz: true }).notNullable();
        table.string('updated_by').notNullable();
      }),
    );
    this.files = filePaths.map(path => ({ path, roles: [] }));
  }

  static fromConfig(
    config: RootConfigService,
    database: DatabaseService,
    logger: LoggerService,
  ): DefaultRoleStore {
    const admins = config.getOptionalConfig('kubemate.rbac.admins');
    const members = [
      ...(admins?.getOptionalStringArray('groups') ?? []),
      ...(admins?.getOptionalStringArray('users') ?? []),
    ].map(normalizeMemberRef);
    const bootstrap: Role | undefined = members.length
      ? {
          name: BOOTSTRAP_ROLE,
          title: 'Bootstrap administrators',
          description:
            'Every permission in every namespace, for the members of kubemate.rbac.admins (app-config). Cannot be edited in the portal.',
          scope: { type: 'all' },
          permissions: ['*'],
          members,
          source: 'config',
          location: 'kubemate.rbac.admins',
          editable: false,
        }
      : undefined;
    const files = (
      config.getOptionalStringArray('kubemate.rbac.roleFiles') ?? []
    ).map(f => resolve(f));
    return new DefaultRoleStore(database, logger, bootstrap, files);
  }

  /** Errors of role files that do not validate (their last valid version stays in force). */
  fileErrors(): Array<{ path: string; error: string }> {
    return this.files
      .filter(f => f.error)
      .map(f => ({ path: f.path, error: f.error! }));
  }

  private async loadFile(file: DeclaredFile): Promise<void> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file.path)).mtimeMs;
    } catch (e) {
      file.error = `cannot read ${file.path}: ${(e as Error).message}`;
      return;
    }
    if (file.mtimeMs === mtimeMs) return;
    file.mtimeMs = mtimeMs;
    try {
      const doc = parseYaml(await readFile(file.path, 'utf8')) ?? {};
      const list = Array.isArray(doc.roles) ? doc.roles : undefined;
      if (!list) throw new Error('expected a top-level "roles:" list');
      const roles: Role[] = [];
      const errors: string[] = [];
      list.forEach((item: unknown, i: number) => {
        const r = validateRoleSpec(item);
        if (r.ok) {
          roles.push({
            ...r.value,
            source: 'file',
            location: file.path,
            editable: false,
          });
        } else {
          errors.push(`roles[${i}]: ${r.errors.join('; ')}`);
        }
      });
      if (errors.length) throw new Error(errors.join('\n'));
      file.roles = roles;
      file.error = undefined;
      this.logger.info(
        `Loaded ${roles.length} declared roles from ${file.path}`,
      );
    } catch (e) {
      file.error = `${
        file.path
      } is invalid, keeping its last valid roles in force: ${
        (e as Error).message
      }`;
      this.logger.error(file.error);
    }
  }

  private async loadDatabase(): Promise<Role[]> {
    const db = await this.db();
    const rows = (await db<Row>(RBAC_ROLES_TABLE)
      .select()
      .orderBy('name')) as Row[];
    return rows.map(r => ({
      ...(JSON.parse(r.spec) as RoleSpec),
      name: r.name,
      source: 'database' as const,
      editable: true,
      createdAt: iso(r.created_at),
      createdBy: r.created_by,
      updatedAt: iso(r.updated_at),
      updatedBy: r.updated_by,
    }));
  }

  /** All roles in force, and the conflicts between sources. Cached briefly (policy hot path). */
  async list(options: { fresh?: boolean } = {}): Promise<RolesResponse> {
    if (
      !options.fresh &&
      this.cache &&
      Date.now() - this.cache.at < this.cacheMs
    ) {
      return this.cache.value;
    }
    for (const f of this.files) await this.loadFile(f);
    const byName = new Map<string, Role>();
    const conflicts: RoleConflict[] = [];
    const add = (role: Role) => {
      const winner = byName.get(role.name);
      if (winner) {
        conflicts.push({
          name: role.name,
          winner: winner.source,
          location: winner.location,
          message: `${role.source} role ${role.name}${
            role.location ? ` (${role.location})` : ''
          } is ignored: ${winner.source} role of the same name${
            winner.location ? ` in ${winner.location}` : ''
          } takes precedence`,
        });
        return;
      }
      byName.set(role.name, role);
    };
    if (this.bootstrap) add(this.bootstrap);
    for (const f of this.files) f.roles.forEach(add);
    (await this.loadDatabase()).forEach(add);
    const value = {
      items: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
      conflicts,
    };
    this.cache = { at: Date.now(), value };
    return value;
  }

  async get(name: string): Promise<Role> {
    const role = (await this.list({ fresh: true })).items.find(
      r => r.name === name,
    );
    if (!role) throw new NotFoundError(`Role ${name} does not exist`);
    return role;
  }

  private async assertEditable(name: string): Promise<Role> {
    const role = await this.get(name);
    if (!role.editable) {
      throw new ConflictError(
        `Role ${name} is declared in ${
          role.location ?? role.source
        } and is read-only here; change it there`,
      );
    }
    return role;
  }

  async create(spec: RoleSpec, actor: string): Promise<Role> {
    const existing = (await this.list({ fresh: true })).items.find(
      r => r.name === spec.name,
    );
    if (existing) {
      throw new ConflictError(
        `Role ${spec.name} already exists (${existing.source}${
          existing.location ? `: ${existing.location}` : ''
        })`,
      );
    }
    const db = await this.db();
    const now = new Date();
    try {
      await db(RBAC_ROLES_TABLE).insert({
        name: spec.name,
        spec: JSON.stringify(spec),
        created_at: now,
        created_by: actor,
        updated_at: now,
        updated_by: actor,
      });
    } catch (e) {
      throw new ConflictError(`Role ${spec.name} already exists`, e as Error);
    }
    this.cache = undefined;
    return this.get(spec.name);
  }

  async update(
    name: string,
    change: (current: RoleSpec) => RoleSpec,
    actor: string,
  ): Promise<{ before: Role; after: Role }> {
    const before = await this.assertEditable(name);
    const next = change(specOf(before));
    const db = await this.db();
    await db(RBAC_ROLES_TABLE)
      .where('name', name)
      .update({
        spec: JSON.stringify({ ...next, name }),
        updated_at: new Date(),
        updated_by: actor,
      });
    this.cache = undefined;
    return { before, after: await this.get(name) };
  }

  async delete(name: string): Promise<Role> {
    const before = await this.assertEditable(name);
    const db = await this.db();
    await db(RBAC_ROLES_TABLE).where('name', name).delete();
    this.cache = undefined;
    return before;
  }
}

/** The spec part of a role (what is audited as before/after). */
export function specOf(role: Role): RoleSpec {
  return {
    name: role.name,
    ...(role.title !== undefined ? { title: role.title } : {}),
    ...(role.description !== undefined
      ? { description: role.description }
      : {}),
    scope: role.scope,
    permissions: role.permissions,
    members: role.members,
  };
}
