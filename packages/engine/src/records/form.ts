/** A deployed Camunda Form (`.form` resource, form-js JSON), one version of a form id. */
export interface FormRecordValue {
  /** The form's `id` in its JSON: what `zeebe:formDefinition formId` links to. */
  readonly formId: string;
  readonly version: number;
  readonly formKey: string;
  /** The form's `versionTag`, when its JSON has one (`bindingType="versionTag"` links to it). */
  readonly versionTag: string;
  readonly resourceName: string;
  readonly checksum: string;
  /** The form's JSON, as deployed. */
  readonly resource: string;
  readonly deploymentKey: string;
}

export type FormRecord = {
  readonly valueType: 'FORM';
  readonly intent: 'CREATED' | 'DELETED';
  readonly value: FormRecordValue;
};
