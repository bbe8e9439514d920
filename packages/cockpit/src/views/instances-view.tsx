import { InstanceList } from '../components/instance-list';
import { Section } from '../components/common';
import { useLocation } from '../router';

/** Instances of every process, with the same filters as a process's own list. */
export function InstancesView() {
  const { path, query } = useLocation();
  return (
    <>
      <h1>Instances</h1>
      <Section title="All process instances" id="all-instances">
        <InstanceList path={path} query={query} />
      </Section>
    </>
  );
}
