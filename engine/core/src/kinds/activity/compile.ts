import type { NodeOf } from '@baton/schemas';
import type { ActivityCatalog, KindCheckContext } from '../kind';

/** Every name under it is Baton's (schemas/src/builtin-activity-names.ts), known today or added later. */
const builtinActivityPrefix = 'baton.';

/** The activity must be in the catalog, on its task queue, with its required input mapped. */
export function checkActivity(node: NodeOf<'activity'>, { at, activities, error, warning }: KindCheckContext): void {
  const nodeId = node.id;
  // Baton's own activities act for the platform (an inbox entry, a survey); only their node kinds call them.
  if (node.data.activity.startsWith(builtinActivityPrefix)) {
    error(
      [...at, 'data', 'activity'],
      `"${node.data.activity}" is one of Baton's built-in activities; a journey reaches those only through their node kinds`,
      'builtin_activity',
      { nodeId },
    );
    return;
  }
  if (!activities) return;
  const manifest = activities.get(node.data.activity);
  if (!manifest) {
    error(
      [...at, 'data', 'activity'],
      `unknown activity "${node.data.activity}" (no worker registers it)`,
      'unknown_activity',
      { nodeId },
    );
    return;
  }
  if (
    node.data.taskQueue !== undefined &&
    manifest.taskQueue !== undefined &&
    node.data.taskQueue !== manifest.taskQueue
  ) {
    warning(
      [...at, 'data', 'taskQueue'],
      `activity "${manifest.name}" is registered on task queue "${manifest.taskQueue}"; this node calls it on "${node.data.taskQueue}"`,
      'task_queue_mismatch',
      { nodeId },
    );
  }
  const required = Array.isArray(manifest.input.required) ? (manifest.input.required as unknown[]) : [];
  for (const field of required) {
    if (typeof field === 'string' && !Object.hasOwn(node.data.input, field)) {
      error([...at, 'data', 'input'], `activity "${manifest.name}" needs input "${field}"`, 'missing_activity_input', {
        nodeId,
      });
    }
  }
}

/**
 * An activity node gets the task queue of its activity from the catalog (the node's own `taskQueue`
 * wins): it travels in the compiled journey, so a conversation keeps calling the queue its version
 * was published with.
 */
export function activityCompiledData(
  node: NodeOf<'activity'>,
  activities: ActivityCatalog | undefined,
): Record<string, unknown> {
  if (node.data.taskQueue === undefined) {
    const taskQueue = activities?.get(node.data.activity)?.taskQueue;
    if (taskQueue !== undefined) return { ...node.data, taskQueue };
  }
  return node.data;
}
