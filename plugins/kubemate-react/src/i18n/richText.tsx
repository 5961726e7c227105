import { Fragment, ReactNode } from 'react';

// Private-use characters mark a slot: never in a message, a user's data or a translation.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const SLOT = new RegExp(`${OPEN}(\\w+)${CLOSE}`);

/**
 * A placeholder value for `t(...)` that {@link withNodes} replaces by a React element: the whole
 * sentence stays one message (its word order is the translator's), the element sits inside it.
 */
export const slot = (name: string) => `${OPEN}${name}${CLOSE}`;

/** The translated text with each {@link slot} replaced by its node. */
export function withNodes(
  text: string,
  nodes: Record<string, ReactNode>,
): ReactNode {
  const parts = text.split(SLOT);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>{i % 2 === 0 ? part : nodes[part]}</Fragment>
      ))}
    </>
  );
}
