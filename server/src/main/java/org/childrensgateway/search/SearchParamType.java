package org.childrensgateway.search;

/** The search parameter types the gateway indexes; each has its own index table. */
public enum SearchParamType {
    TOKEN, STRING, DATE, REFERENCE
}
