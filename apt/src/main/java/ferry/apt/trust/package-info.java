/** Whether an upstream APT repository's Release may be trusted: the operator's keyring and the signature rules. */
package ferry.apt.trust;
