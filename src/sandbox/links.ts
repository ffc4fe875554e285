import type { CutMode, LinkMode } from './flow.js';
import { linkId, resolveLink, type LinkKey, type NamedInstance } from './names.js';

/** A cut link and the open TCP flows on it now. */
export interface LinkStatus extends LinkKey {
  readonly mode: CutMode;
  readonly flows: number;
}

/**
 * Which links are cut and how. A link is identified by its two ends (`orc` or an instance,
 * then an instance), whatever port the connection went through, so a cut keeps holding when
 * orc re-points replicas. The table is plain data; `onChange(to)` tells the owner which
 * server's proxy must re-apply modes to its open flows.
 */
export class LinkTable {
  private readonly cuts = new Map<string, LinkKey & { mode: CutMode }>();

  constructor(
    private readonly instances: () => readonly NamedInstance[],
    private readonly onChange: (link: LinkKey, mode: LinkMode) => void,
  ) {}

  /** The mode of the link from `from` to `to` (`pass` unless cut). */
  modeOf(from: string, to: string): LinkMode {
    return this.cuts.get(linkId({ from, to }))?.mode ?? 'pass';
  }

  /** Cuts (or re-cuts with another mode) the link; the ends are resolved and validated. */
  cut(from: string, to: string, mode: CutMode): LinkKey {
    const link = resolveLink(from, to, this.instances());
    this.cuts.set(linkId(link), { ...link, mode });
    this.onChange(link, mode);
    return link;
  }

  /** Heals the link; returns it, or null when it was not cut. */
  heal(from: string, to: string): LinkKey | null {
    const link = resolveLink(from, to, this.instances());
    if (!this.cuts.delete(linkId(link))) return null;
    this.onChange(link, 'pass');
    return link;
  }

  /** Heals every cut link; returns the links healed. */
  healAll(): LinkKey[] {
    const links = [...this.cuts.values()].map(({ from, to }) => ({ from, to }));
    for (const link of links) {
      this.cuts.delete(linkId(link));
      this.onChange(link, 'pass');
    }
    return links;
  }

  /** The cut links; `flowsOf` counts a link's open flows. */
  list(flowsOf: (link: LinkKey) => number): LinkStatus[] {
    return [...this.cuts.values()].map((c) => ({ ...c, flows: flowsOf(c) }));
  }
}
