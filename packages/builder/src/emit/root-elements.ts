import type { ModdleObject } from 'bpmn-moddle';
import type { MessageModel } from '../model/event-definition-model.js';
import { toExtensionElement } from './extension-elements.js';
import { moddle } from './moddle.js';

/**
 * The `bpmn:message`, `bpmn:signal`, `bpmn:error` and `bpmn:escalation` root elements that event
 * definitions reference, created on first use: one per distinct name (and correlation key) or code.
 * Ids are derived from the name (`Message_order-paid`), so they stay stable while the model changes
 * elsewhere, and skip every id already used in the document.
 */
export class RootElements {
  /** In the order they were first referenced, which is the order of the XML. */
  readonly elements: ModdleObject[] = [];
  private readonly known = new Map<string, ModdleObject>();

  constructor(private readonly taken: Set<string>) {}

  message(message: MessageModel): ModdleObject {
    return this.get('Message', JSON.stringify([message.name, message.correlationKey]), message.name, (id) => {
      const element = moddle.create('bpmn:Message', { id, name: message.name });
      if (message.correlationKey !== undefined) {
        element.extensionElements = moddle.create('bpmn:ExtensionElements', {
          values: [toExtensionElement({ kind: 'subscription', correlationKey: message.correlationKey })],
        });
      }
      return element;
    });
  }

  signal(name: string): ModdleObject {
    return this.get('Signal', name, name, (id) => moddle.create('bpmn:Signal', { id, name }));
  }

  error(code: string): ModdleObject {
    return this.get('Error', code, code, (id) =>
      moddle.create('bpmn:Error', { id, name: code, errorCode: code }),
    );
  }

  escalation(code: string): ModdleObject {
    return this.get('Escalation', code, code, (id) =>
      moddle.create('bpmn:Escalation', { id, name: code, escalationCode: code }),
    );
  }

  private get(type: string, key: string, label: string, create: (id: string) => ModdleObject): ModdleObject {
    const existing = this.known.get(`${type}:${key}`);
    if (existing) return existing;
    const element = create(this.freeId(`${type}_${slug(label)}`));
    this.known.set(`${type}:${key}`, element);
    this.elements.push(element);
    return element;
  }

  private freeId(base: string): string {
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}_${n}`;
    this.taken.add(id);
    return id;
  }
}

// Names may be FEEL or contain spaces; ids must be XML names.
function slug(label: string): string {
  const cleaned = label.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? '1' : cleaned;
}
