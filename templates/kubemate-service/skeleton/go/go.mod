module ${{ values.name }}

go 1.26
