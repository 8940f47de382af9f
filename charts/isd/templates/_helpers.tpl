{#- A value escaped for a URL query or user-info part, as Go's
    url.QueryEscape (the product's `urlquery`): every byte but letters,
    digits and -_.~ as %XX, a space as +. -#}
{%- define "isd.urlquery" -%}
{{- ctx | toString | replace("%", "%25") | replace("/", "%2F") | replace(":", "%3A") | replace("@", "%40")
  | replace("?", "%3F") | replace("#", "%23") | replace("&", "%26") | replace("=", "%3D") | replace("+", "%2B")
  | replace("!", "%21") | replace("$", "%24") | replace("'", "%27") | replace("(", "%28") | replace(")", "%29")
  | replace("*", "%2A") | replace(",", "%2C") | replace(";", "%3B") | replace("[", "%5B") | replace("]", "%5D")
  | replace("\"", "%22") | replace("<", "%3C") | replace(">", "%3E") | replace("\\", "%5C") | replace("^", "%5E")
  | replace("`", "%60") | replace("{", "%7B") | replace("|", "%7C") | replace("}", "%7D") | replace(" ", "+") -}}
{%- enddefine %}
