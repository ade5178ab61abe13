// npm scripts run on the Node from the `node` devDependency; say so, and stop if not.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `Node ${process.versions.node} is running; this project needs Node 24 (run through npm scripts after npm ci).`,
  );
  process.exit(1);
}
console.log(`node ${process.versions.node}`);
