// A codegen document transform (codegen.yml): adds __typename to every selection set, as Apollo
// Client's cache does to the documents it sends. codegen.yml can only name a module exporting
// `transform`, hence this re-export of the client preset's own transform.
const { addTypenameSelectionDocumentTransform } = require('@graphql-codegen/client-preset');

module.exports = { transform: addTypenameSelectionDocumentTransform.transform };
