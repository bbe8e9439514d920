import type { ModdleObject } from 'bpmn-moddle';
import type { ExtensionModel, VariableMapping } from '../model/extension-model.js';
import { defined, moddle } from './moddle.js';

/** The `zeebe:*` moddle element for one extension of the model. */
export function toExtensionElement(extension: ExtensionModel): ModdleObject {
  switch (extension.kind) {
    case 'taskDefinition':
      return moddle.create(
        'zeebe:TaskDefinition',
        defined({ type: extension.type, retries: extension.retries }),
      );
    case 'taskHeaders':
      return moddle.create('zeebe:TaskHeaders', {
        values: extension.headers.map((h) => moddle.create('zeebe:Header', { key: h.key, value: h.value })),
      });
    case 'ioMapping':
      return moddle.create('zeebe:IoMapping', {
        inputParameters: extension.inputs.map((m) => mapping('zeebe:Input', m)),
        outputParameters: extension.outputs.map((m) => mapping('zeebe:Output', m)),
      });
    case 'script':
      return moddle.create('zeebe:Script', {
        expression: extension.expression,
        resultVariable: extension.resultVariable,
      });
    case 'subscription':
      return moddle.create('zeebe:Subscription', { correlationKey: extension.correlationKey });
    case 'userTask':
      return moddle.create('zeebe:UserTask', {});
    case 'assignmentDefinition':
      return moddle.create(
        'zeebe:AssignmentDefinition',
        defined({
          assignee: extension.assignee,
          candidateGroups: extension.candidateGroups,
          candidateUsers: extension.candidateUsers,
        }),
      );
    case 'taskSchedule':
      return moddle.create(
        'zeebe:TaskSchedule',
        defined({ dueDate: extension.dueDate, followUpDate: extension.followUpDate }),
      );
    case 'formDefinition':
      return moddle.create(
        'zeebe:FormDefinition',
        defined({
          formKey: extension.formKey,
          formId: extension.formId,
          externalReference: extension.externalReference,
        }),
      );
    case 'priorityDefinition':
      return moddle.create('zeebe:PriorityDefinition', { priority: extension.priority });
    case 'calledElement':
      return moddle.create(
        'zeebe:CalledElement',
        defined({
          processId: extension.processId,
          propagateAllChildVariables: extension.propagateAllChildVariables,
          propagateAllParentVariables: extension.propagateAllParentVariables,
          bindingType: extension.bindingType,
          versionTag: extension.versionTag,
        }),
      );
    case 'calledDecision':
      return moddle.create('zeebe:CalledDecision', {
        decisionId: extension.decisionId,
        resultVariable: extension.resultVariable,
      });
    case 'adHoc':
      return moddle.create(
        'zeebe:AdHoc',
        defined({
          activeElementsCollection: extension.activeElementsCollection,
          outputCollection: extension.outputCollection,
          outputElement: extension.outputElement,
        }),
      );
    case 'loopCharacteristics':
      return moddle.create(
        'zeebe:LoopCharacteristics',
        defined({
          inputCollection: extension.inputCollection,
          inputElement: extension.inputElement,
          outputCollection: extension.outputCollection,
          outputElement: extension.outputElement,
        }),
      );
    default:
      return unknownExtension(extension);
  }
}

function mapping(type: 'zeebe:Input' | 'zeebe:Output', m: VariableMapping): ModdleObject {
  return moddle.create(type, { source: m.source, target: m.target });
}

// A new ExtensionModel variant without a case above fails to compile here.
function unknownExtension(extension: never): never {
  throw new Error(`no emitter for extension ${JSON.stringify(extension)}`);
}
