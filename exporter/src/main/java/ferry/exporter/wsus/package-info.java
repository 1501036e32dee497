/**
 * The WSUS source type's export half ({@link ferry.exporter.wsus.WsusExport}): an MS-WSUSSS conversation with the
 * upstream ({@code Upstream}), the operator's selection resolved against its categories ({@code SelectionResolver}),
 * the closure over prerequisites, categories and bundled updates ({@code Closure}), the files the metadata names
 * ({@code ExpectedFile}), the entries and manifest selection ({@code WsusEntries}), and the WSUS part of the
 * channel's state ({@code WsusState}). Bundle writing, state and the file cache belong to {@code ferry.exporter}.
 */
package ferry.exporter.wsus;
