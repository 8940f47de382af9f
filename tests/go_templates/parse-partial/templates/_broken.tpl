{{/* a syntax error in a partial still fails the chart */}}

{{ $x := }}
