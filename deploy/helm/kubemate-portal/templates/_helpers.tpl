{{/* Names */}}
{{- define "kubemate-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kubemate-portal.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kubemate-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubemate-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kubemate-portal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "kubemate-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubemate
{{- end }}

{{- define "kubemate-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kubemate-portal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The public URL: baseUrl, or http(s)://<ingress.host> */}}
{{- define "kubemate-portal.baseUrl" -}}
{{- if .Values.baseUrl }}
{{- .Values.baseUrl | trimSuffix "/" }}
{{- else if and .Values.ingress.enabled .Values.ingress.host }}
{{- printf "%s://%s" (ternary "https" "http" (not (empty .Values.ingress.tls.secretName))) .Values.ingress.host }}
{{- else }}
{{- fail "baseUrl is required when the ingress is disabled: set baseUrl to the portal's public URL" }}
{{- end }}
{{- end }}

{{/* The replicas the pods may run as at least: replicaCount, or the HPA's minimum */}}
{{- define "kubemate-portal.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/* Value checks the schema cannot express; included by the Deployment (rendered in every case). */}}
{{- define "kubemate-portal.validate" -}}
{{- if and (not .Values.database.host) .Values.autoscaling.enabled }}
{{- fail "PostgreSQL is required when autoscaling.enabled: set database.host (and database.existingSecret with the password); the embedded SQLite keeps its data in one pod" }}
{{- end }}
{{- if and (not .Values.database.host) (gt (int .Values.replicaCount) 1) }}
{{- fail "PostgreSQL is required when replicaCount > 1: set database.host (and database.existingSecret with the password); the embedded SQLite keeps its data in one pod" }}
{{- end }}
{{- if and .Values.database.host (not .Values.database.existingSecret) }}
{{- fail "database.existingSecret is required with database.host: the name of a Secret holding the PostgreSQL password (key database.passwordKey)" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas" }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (the other to null)" }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "string" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) }}
{{- if ge (int .Values.podDisruptionBudget.minAvailable) (int (include "kubemate-portal.minReplicas" .)) }}
{{- if gt (int (include "kubemate-portal.minReplicas" .)) 1 }}
{{- fail (printf "podDisruptionBudget.minAvailable (%v) must be less than the replicas (%v): otherwise no pod may ever be evicted and node drains block" .Values.podDisruptionBudget.minAvailable (include "kubemate-portal.minReplicas" .)) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $i, $c := .Values.clusters }}
{{- if not (or $c.caData $c.skipTLSVerify) }}
{{- fail (printf "clusters[%d] (%s): set caData (the API server's CA, base64) or skipTLSVerify: true" $i $c.name) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Env var name of cluster i's token */}}
{{- define "kubemate-portal.clusterTokenEnv" -}}
{{- printf "KUBEMATE_CLUSTER_%d_TOKEN" . }}
{{- end }}
{{- define "kubemate-portal.clusterRbacTokenEnv" -}}
{{- printf "KUBEMATE_CLUSTER_%d_RBAC_SYNC_TOKEN" . }}
{{- end }}

{{/* The app-config overlay (YAML) */}}
{{- define "kubemate-portal.appConfig" -}}
{{- $base := include "kubemate-portal.baseUrl" . -}}
{{- $cfg := dict -}}
{{- $_ := set $cfg "app" (dict "baseUrl" $base) -}}
{{- $backend := dict "baseUrl" $base "cors" (dict "origin" $base "methods" (list "GET" "HEAD" "PATCH" "POST" "PUT" "DELETE") "credentials" true) -}}
{{- if .Values.database.host -}}
{{- $conn := dict "host" "${POSTGRES_HOST}" "port" "${POSTGRES_PORT}" "user" "${POSTGRES_USER}" "password" "${POSTGRES_PASSWORD}" -}}
{{- if .Values.database.ssl.enabled -}}
{{- if .Values.database.ssl.caSecret -}}
{{- $_ := set $conn "ssl" (dict "ca" (dict "$file" "/etc/kubemate/pg-ca/ca.crt")) -}}
{{- else -}}
{{- $_ := set $conn "ssl" (dict "rejectUnauthorized" true) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $backend "database" (dict "client" "pg" "connection" $conn) -}}
{{- else -}}
{{- $_ := set $backend "database" (dict "client" "better-sqlite3" "connection" (dict "directory" "/var/lib/kubemate/data")) -}}
{{- end -}}
{{- if .Values.auth.automation.existingSecret -}}
{{- $static := dict "type" "static" "options" (dict "token" "${KUBEMATE_AUTOMATION_TOKEN}" "subject" "kubemate-automation") -}}
{{- with .Values.auth.automation.accessRestrictions }}{{ $_ := set $static "accessRestrictions" . }}{{ end -}}
{{- $_ := set $backend "auth" (dict "externalAccess" (list $static)) -}}
{{- end -}}
{{- $_ := set $cfg "backend" $backend -}}
{{- $oidc := .Values.auth.oidc -}}
{{- $_ := set $cfg "auth" (dict "environment" "production" "providers" (dict "oidc" (dict "production" (dict "metadataUrl" "${OIDC_METADATA_URL}" "clientId" "${OIDC_CLIENT_ID}" "clientSecret" "${OIDC_CLIENT_SECRET}" "prompt" $oidc.prompt "signIn" (dict "resolvers" (list (dict "resolver" "emailMatchingUserEntityProfileEmail"))))))) -}}
{{- if .Values.catalog -}}
{{- $_ := set $cfg "catalog" .Values.catalog -}}
{{- end -}}
{{- $clusters := list -}}
{{- $creds := list -}}
{{- range $i, $c := .Values.clusters -}}
{{- $cl := dict "name" $c.name "url" $c.url "authProvider" "serviceAccount" "serviceAccountToken" (printf "${%s}" (include "kubemate-portal.clusterTokenEnv" $i)) "skipMetricsLookup" true -}}
{{- if $c.caData }}{{ $_ := set $cl "caData" $c.caData }}{{ end -}}
{{- if $c.skipTLSVerify }}{{ $_ := set $cl "skipTLSVerify" true }}{{ end -}}
{{- $clusters = append $clusters $cl -}}
{{- if and $c.rbacSync $c.rbacSync.existingSecret -}}
{{- $creds = append $creds (dict "cluster" $c.name "serviceAccountToken" (printf "${%s}" (include "kubemate-portal.clusterRbacTokenEnv" $i))) -}}
{{- end -}}
{{- end -}}
{{- if $clusters -}}
{{- $_ := set $cfg "kubernetes" (dict "serviceLocatorMethod" (dict "type" "multiTenant") "clusterLocatorMethods" (list (dict "type" "config" "clusters" $clusters))) -}}
{{- end -}}
{{- $km := deepCopy (.Values.kubemate | default dict) -}}
{{- if $creds -}}
{{- $rbac := get $km "rbac" | default dict -}}
{{- $k8s := get $rbac "kubernetes" | default dict -}}
{{- $_ := set $k8s "credentials" $creds -}}
{{- $_ := set $rbac "kubernetes" $k8s -}}
{{- $_ := set $km "rbac" $rbac -}}
{{- end -}}
{{- if not (hasKey $km "backendMetrics") -}}
{{- $_ := set $km "backendMetrics" (dict "enabled" .Values.metrics.enabled) -}}
{{- end -}}
{{- if $km -}}
{{- $_ := set $cfg "kubemate" $km -}}
{{- end -}}
{{- $cfg = mergeOverwrite (deepCopy (.Values.extraAppConfig | default dict)) $cfg -}}
# Rendered by the kubemate-portal Helm chart from its values; ${...} are read from the environment.
{{ toYaml $cfg }}
{{- end }}
