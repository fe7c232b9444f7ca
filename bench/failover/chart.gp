# The failover benchmark's chart: every trial of every system as a dot, the median as a bar, the
# p90 as a dashed bar; log scale, since gdnsd at its defaults takes ~100 s where Pharos takes <1 s.
# FailoverBench writes the data and runs:
#   gnuplot -e "trials='T'; summary='S'; vars='V'; out='failover.png'" bench/failover/chart.gp
# T and S hold one block per panel (separated by two blank lines): "x seconds" per trial, and
# "x median p90" per system; V sets the x tics (system names), the panel titles and `nsys`.
set terminal pngcairo size 1500,1050 font "sans,10"
set output out
load vars
set multiplot layout 2,2 title title_all font "sans,13"
set logscale y
set yrange [0.02:500]
set ytics (0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)
set xrange [0.4:nsys+0.6]
set xtics rotate by -30 font "sans,9" nomirror
set grid ytics
set ylabel "seconds (log scale)"
set bars 0
set key top left
do for [i=0:3] {
    set title panel[i+1]
    plot trials index i using 1:2 with points pt 7 ps 0.7 lc rgb "#4477aa" title "one trial", \
         summary index i using 1:2:(0.32) with xerrorbars pt -1 lw 3 lc rgb "black" title "median", \
         summary index i using 1:3:(0.32) with xerrorbars pt -1 lw 2 dt 2 lc rgb "#cc3311" title "p90"
}
unset multiplot
