/*
 * The root logger: Backstage's (WinstonLogger: JSON in production, colored lines otherwise; the
 * values of `@visibility secret` config keys masked as ***) plus kubemate-node's redactSecrets on
 * every formatted line, so credentials that are not config values — in an upstream URL or answer a
 * plugin quotes in an error, a bearer token, a JWT — never reach the log either.
 *
 * Plugin routers answer and log their errors themselves (each plugin's httpRouter has its own
 * error handler), so the log is redacted here and the response bodies by ./redactErrors.ts.
 */
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import { createConfigSecretEnumerator } from '@backstage/backend-defaults/rootConfig';
import {
  WinstonLogger,
  WinstonLoggerLevelOverride,
} from '@backstage/backend-defaults/rootLogger';
import { redactSecrets } from '@kubemate/plugin-kubemate-node';
import * as winston from 'winston';

const MESSAGE = Symbol.for('message');

/** A winston format: `inner`, then redactSecrets over the formatted line. */
export function redactingFormat(
  inner: winston.Logform.Format,
): winston.Logform.Format {
  return {
    transform(info) {
      // a format's transform takes its own options (winston's combine passes them the same way)
      const out = inner.transform(
        info,
        (inner as { options?: object }).options,
      );
      if (out && typeof out === 'object') {
        const line = (out as any)[MESSAGE];
        if (typeof line === 'string')
          (out as any)[MESSAGE] = redactSecrets(line);
      }
      return out;
    },
  };
}

export default createServiceFactory({
  service: coreServices.rootLogger,
  deps: { config: coreServices.rootConfig },
  async factory({ config }) {
    // as Backstage's rootLoggerServiceFactory reads backend.logger
    const meta = config.getOptionalConfig('backend.logger.meta')?.get() as
      | Record<string, unknown>
      | undefined;
    const overrides = (
      config.getOptionalConfigArray('backend.logger.overrides') ?? []
    ).map(
      o =>
        ({
          matchers: o.getConfig('matchers').get(),
          level: o.getString('level'),
        } as WinstonLoggerLevelOverride),
    );
    const logger = WinstonLogger.create({
      meta: { service: 'backstage', ...meta },
      level:
        process.env.LOG_LEVEL ||
        config.getOptionalString('backend.logger.level') ||
        'info',
      format: redactingFormat(
        process.env.NODE_ENV === 'production'
          ? winston.format.json()
          : WinstonLogger.colorFormat(),
      ),
      transports: [new winston.transports.Console()],
    });
    const secrets = await createConfigSecretEnumerator({ logger });
    logger.addRedactions(secrets(config));
    config.subscribe?.(() => logger.addRedactions(secrets(config)));
    logger.setLevelOverrides(overrides);
    return logger;
  },
});
