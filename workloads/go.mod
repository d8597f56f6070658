module langbench/workloads

go 1.21
