import {
  CheckResponse,
  WhatCanResponse,
  WhoCanResponse,
} from '@kubemate/plugin-rbac-common';

/**
 * Explains the portal's decisions: "can U do P (on R)?", "what can U do?", "who can do P (on
 * R)?". Users are catalog refs (`alice`, `user:default/alice`); permissions are names from the
 * permission catalogue; a resourceRef resolves a conditional decision the way the owning plugin
 * would. Bad input is an InputError naming the field.
 */
export interface DecisionService {
  check(query: {
    user: string;
    permission: string;
    resourceRef?: string;
  }): Promise<CheckResponse>;
  whatCan(query: { user: string }): Promise<WhatCanResponse>;
  whoCan(query: {
    permission: string;
    resourceRef?: string;
  }): Promise<WhoCanResponse>;
}
