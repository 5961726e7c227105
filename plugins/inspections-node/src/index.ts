/**
 * The inspections check contract and the extension point through which other plugins and adopters
 * add checks (a backend module of the `inspections` plugin).
 *
 * @packageDocumentation
 */
export * from './checks';
export * from './extensionPoint';
