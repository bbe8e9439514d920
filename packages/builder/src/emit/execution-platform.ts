/** The Camunda 8 version the Modeler is told the diagram targets; it enables the Zeebe properties panel. */
export const EXECUTION_PLATFORM_VERSION = '8.5.0';
