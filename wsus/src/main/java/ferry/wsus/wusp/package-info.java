/**
 * The WSUS source type's half for Windows clients: what MS-WUSP (the Windows Update Agent's client-server protocol)
 * needs beyond MS-WSUSSS, starting with the metadata fragments a client scans with (MS-WUSP 3.1.1.1).
 */
package ferry.wsus.wusp;
