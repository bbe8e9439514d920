import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type EventBus from 'diagram-js/lib/core/EventBus';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import { messageOf } from '../api/client';

/** A flow node or sequence flow of the rendered model, for pickers (e.g. "activate element"). */
export interface DiagramElement {
  readonly id: string;
  readonly name: string;
  /** The BPMN type without prefix: ServiceTask, SequenceFlow … */
  readonly type: string;
}

/** A count badge drawn on an element (the heat map). */
export interface Badge {
  readonly kind: 'active' | 'incidents' | 'completed' | 'terminated';
  readonly count: number;
}

interface ShapeLike {
  id: string;
  type: string;
  waypoints?: unknown;
  labelTarget?: unknown;
  businessObject?: { name?: string };
}

const BADGE_LABEL: Record<Badge['kind'], string> = {
  active: 'active',
  incidents: 'with incident',
  completed: 'completed',
  terminated: 'terminated',
};

const NO_TITLES: Readonly<Record<string, string>> = {};
const NO_DECORATIONS: Readonly<Record<string, ReactNode>> = {};

/**
 * A BPMN diagram rendered by bpmn-js's NavigatedViewer (pan with the mouse, zoom with the wheel), with CSS
 * marker classes per element (`markers`), count badges (`badges`), hover texts (`titles`) and interactive
 * React content drawn on elements (`decorations`, at their top right corner). All can change without a
 * re-import.
 */
export function BpmnDiagram({
  xml,
  label,
  markers = {},
  badges = {},
  titles = NO_TITLES,
  decorations = NO_DECORATIONS,
  onLoaded,
  onElementClick,
}: {
  xml: string;
  label: string;
  markers?: Readonly<Record<string, readonly string[]>>;
  badges?: Readonly<Record<string, readonly Badge[]>>;
  titles?: Readonly<Record<string, string>>;
  decorations?: Readonly<Record<string, ReactNode>>;
  onLoaded?: (elements: DiagramElement[]) => void;
  onElementClick?: (elementId: string) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | undefined>(undefined);
  const applied = useRef<{ id: string; marker: string }[]>([]);
  const [imported, setImported] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [hosts, setHosts] = useState<ReadonlyMap<string, HTMLElement>>(new Map());
  const decorated = Object.keys(decorations).sort().join(' ');
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;
  const onClickRef = useRef(onElementClick);
  onClickRef.current = onElementClick;

  useEffect(() => {
    const v = new NavigatedViewer({ container: container.current! });
    viewer.current = v;
    v.get<EventBus>('eventBus').on('element.click', (event: { element: ShapeLike }) => {
      const element = event.element;
      if (element.type !== 'bpmn:Process' && element.type !== 'label') onClickRef.current?.(element.id);
    });
    return () => {
      v.destroy();
      viewer.current = undefined;
    };
  }, []);

  useEffect(() => {
    const v = viewer.current;
    if (!v) return;
    let current = true;
    setError(undefined);
    applied.current = [];
    v.importXML(xml).then(
      () => {
        if (!current) return;
        v.get<Canvas>('canvas').zoom('fit-viewport');
        const registry = v.get<ElementRegistry>('elementRegistry');
        const elements = (registry.getAll() as unknown as ShapeLike[])
          .filter((e) => e.type.startsWith('bpmn:') && e.type !== 'bpmn:Process' && !e.labelTarget)
          .map((e) => ({
            id: e.id,
            name: e.businessObject?.name || e.id,
            type: e.type.replace(/^bpmn:/, ''),
          }));
        onLoadedRef.current?.(elements);
        setImported(xml);
      },
      (err: unknown) => {
        if (current) setError(err);
      },
    );
    return () => {
      current = false;
    };
  }, [xml]);

  useEffect(() => {
    const v = viewer.current;
    if (!v || imported !== xml) return;
    const canvas = v.get<Canvas>('canvas');
    const registry = v.get<ElementRegistry>('elementRegistry');
    for (const { id, marker } of applied.current) canvas.removeMarker(id, marker);
    applied.current = [];
    for (const [id, classes] of Object.entries(markers)) {
      if (!registry.get(id)) continue;
      for (const marker of classes) {
        canvas.addMarker(id, marker);
        applied.current.push({ id, marker });
      }
    }
    const overlays = v.get<Overlays>('overlays');
    overlays.remove({ type: 'cockpit-badges' });
    for (const [id, list] of Object.entries(badges)) {
      const shown = list.filter((b) => b.count > 0);
      if (shown.length === 0 || !registry.get(id)) continue;
      const html = document.createElement('div');
      html.className = 'badges';
      html.dataset.elementId = id;
      for (const badge of shown) {
        const span = document.createElement('span');
        span.className = `badge-count badge-count-${badge.kind}`;
        span.textContent = String(badge.count);
        span.title = `${badge.count} ${BADGE_LABEL[badge.kind]}`;
        span.setAttribute('aria-label', `${id}: ${badge.count} ${BADGE_LABEL[badge.kind]}`);
        html.appendChild(span);
      }
      overlays.add(id, 'cockpit-badges', { position: { bottom: 10, left: -8 }, html });
    }
  }, [markers, badges, imported, xml]);

  useEffect(() => {
    const v = viewer.current;
    if (!v || imported !== xml) return;
    const registry = v.get<ElementRegistry>('elementRegistry');
    const added: SVGTitleElement[] = [];
    for (const [id, text] of Object.entries(titles)) {
      const gfx = registry.get(id) ? registry.getGraphics(id) : undefined;
      if (!gfx) continue;
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = text;
      gfx.prepend(title);
      added.push(title);
    }
    return () => added.forEach((title) => title.remove());
  }, [titles, imported, xml]);

  useEffect(() => {
    const v = viewer.current;
    if (!v || imported !== xml) return;
    const overlays = v.get<Overlays>('overlays');
    const registry = v.get<ElementRegistry>('elementRegistry');
    const next = new Map<string, HTMLElement>();
    for (const id of decorated.split(' ')) {
      if (!id || !registry.get(id)) continue;
      const html = document.createElement('div');
      html.className = 'decoration';
      overlays.add(id, 'cockpit-decorations', { position: { top: 4, right: 4 }, html });
      next.set(id, html);
    }
    setHosts(next);
    return () => {
      if (viewer.current === v) overlays.remove({ type: 'cockpit-decorations' });
    };
  }, [decorated, imported, xml]);

  const reset = () => viewer.current?.get<Canvas>('canvas').zoom('fit-viewport');

  return (
    <div className="diagram-frame">
      {error ? (
        <div className="error" role="alert">
          The diagram cannot be shown: {messageOf(error)}
        </div>
      ) : null}
      <div
        className="diagram"
        ref={container}
        role="img"
        aria-label={label}
        data-loaded={imported === xml ? 'true' : 'false'}
      />
      <button type="button" className="diagram-reset" onClick={reset}>
        Fit diagram
      </button>
      {[...hosts].map(([id, host]) => (decorations[id] ? createPortal(decorations[id], host, id) : null))}
    </div>
  );
}
