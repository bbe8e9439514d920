import type { FormRecordValue } from '../records/form.js';

/** The deployed forms of a partition, as processors see them. */
export interface ReadonlyFormState {
  byKey(formKey: string): FormRecordValue | undefined;
  /** The highest version of a form id. */
  latest(formId: string): FormRecordValue | undefined;
  /** The latest version of a form id whose JSON carries `versionTag`. */
  byIdAndVersionTag(formId: string, versionTag: string): FormRecordValue | undefined;
  /** The version of a form id deployed in a deployment (`bindingType="deployment"`). */
  byIdAndDeploymentKey(formId: string, deploymentKey: string): FormRecordValue | undefined;
  all(): Iterable<FormRecordValue>;
}

/** Forms by key and by id (versions in ascending order); changed only by the FORM appliers. */
export class FormState implements ReadonlyFormState {
  private readonly formsByKey = new Map<string, FormRecordValue>();
  private readonly versions = new Map<string, FormRecordValue[]>();

  byKey(formKey: string): FormRecordValue | undefined {
    return this.formsByKey.get(formKey);
  }

  latest(formId: string): FormRecordValue | undefined {
    return this.versions.get(formId)?.at(-1);
  }

  byIdAndVersionTag(formId: string, versionTag: string): FormRecordValue | undefined {
    return this.versions.get(formId)?.findLast((f) => f.versionTag === versionTag);
  }

  byIdAndDeploymentKey(formId: string, deploymentKey: string): FormRecordValue | undefined {
    return this.versions.get(formId)?.findLast((f) => f.deploymentKey === deploymentKey);
  }

  all(): Iterable<FormRecordValue> {
    return this.formsByKey.values();
  }

  put(form: FormRecordValue): void {
    if (this.formsByKey.has(form.formKey)) return;
    this.formsByKey.set(form.formKey, form);
    const versions = this.versions.get(form.formId) ?? [];
    versions.push(form);
    versions.sort((a, b) => a.version - b.version);
    this.versions.set(form.formId, versions);
  }

  remove(formKey: string): void {
    const form = this.formsByKey.get(formKey);
    if (!form) return;
    this.formsByKey.delete(formKey);
    const versions = (this.versions.get(form.formId) ?? []).filter((f) => f.formKey !== formKey);
    if (versions.length > 0) this.versions.set(form.formId, versions);
    else this.versions.delete(form.formId);
  }
}
