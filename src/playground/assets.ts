/** What the playground page carries as JSON: the nets (by in-memory path), the file it opens with, and the viz page's scripts. */
export interface PlaygroundAssets {
  nets: Record<string, string>;
  start: string;
  dagre: string;
  client: string;
}
